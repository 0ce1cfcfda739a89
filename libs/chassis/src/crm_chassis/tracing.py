"""OpenTelemetry set-up: one tracer provider per process, OTLP export when configured.

HTTP server spans come from the FastAPI instrumentation, client spans from the
httpx instrumentation; AMQP spans are made by :mod:`crm_chassis.events`. If a
tracer provider is already installed (tests install one with an in-memory
exporter), it is kept.
"""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, Sampler, TraceIdRatioBased

_EXCLUDED_URLS = "healthz,readyz,metrics"


def sampler(ratio: float) -> Sampler:
    """Record ``ratio`` of the traces that start here; follow the caller's decision for
    the ones that arrive with a ``traceparent``. Unrecorded spans still carry trace ids,
    so logs keep them, at a fraction of the cost of a recorded span."""
    return ParentBased(TraceIdRatioBased(ratio))


def configure_tracing(service: str, otlp_endpoint: str | None, sample_ratio: float = 1.0) -> None:
    """Install the process-wide tracer provider unless one is installed already."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = TracerProvider(
        resource=Resource.create({"service.name": service}), sampler=sampler(sample_ratio)
    )
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint}/v1/traces"))
        )
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()


def instrument_app(app: FastAPI) -> None:
    """One server span per request. The ASGI instrumentation would also make a span per
    message received and sent (four more for a small request), which tell nothing the
    server span does not and cost as much to make."""
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=_EXCLUDED_URLS, exclude_spans=["receive", "send"]
    )
