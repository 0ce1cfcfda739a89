"""OpenTelemetry set-up: one tracer provider per process, OTLP export when configured.

HTTP server spans come from the FastAPI instrumentation, client spans from the
httpx instrumentation; AMQP spans are made by :mod:`crm_chassis.events`. If a
tracer provider is already installed (tests install one with an in-memory
exporter), it is kept.

A request is named by its route template (``GET /api/v1/surveys/{survey_id}/answer``).
The URL attributes the instrumentations record (``http.url``, ``url.full``,
``url.query``, ``http.target``) keep the query's parameter names but never their values:
query strings carry survey tokens, phone numbers and e-mail addresses, and traces are
kept and shown far more widely than the data behind them.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, Sampler, TraceIdRatioBased
from opentelemetry.trace import Span

_EXCLUDED_URLS = "healthz,readyz,metrics"
REDACTED = "REDACTED"
# Attributes holding a whole URL, or a path that may end in the query (older semconv).
_URL_ATTRIBUTES = ("http.url", "url.full", "http.target")
_QUERY_ATTRIBUTE = "url.query"


def redacted_query(query: str) -> str:
    """``query`` with every value replaced: ``phone=139&token=abc`` gives
    ``phone=REDACTED&token=REDACTED``. Names stay as sent (still URL-encoded)."""
    names = (part.partition("=")[0] for part in query.split("&") if part)
    return "&".join(f"{name}={REDACTED}" for name in names)


def redacted_url(url: str) -> str:
    """``url`` with its query values replaced (see :func:`redacted_query`), for a span
    made by hand."""
    base, _, query = url.partition("?")
    return f"{base}?{redacted_query(query.partition('#')[0])}" if query else url


def redact_url_attributes(span: Span, query: str) -> None:
    """Rewrite the span's URL attributes so that none carries a value of ``query`` (the
    request's raw query string). Recorded URLs may hold the query decoded, where a value
    can contain ``&``, ``#`` or ``?``: everything after the first ``?`` is replaced."""
    if not query or not span.is_recording():
        return
    recorded: Any = getattr(span, "attributes", None) or {}
    hidden = redacted_query(query)
    for key in _URL_ATTRIBUTES:
        value = recorded.get(key)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(key, f"{value.partition('?')[0]}?{hidden}")
    if _QUERY_ATTRIBUTE in recorded:
        span.set_attribute(_QUERY_ATTRIBUTE, hidden)


def redact_server_span(span: Span, scope: dict[str, Any]) -> None:
    """``server_request_hook`` of the ASGI and FastAPI instrumentations."""
    raw = scope.get("query_string") or b""
    redact_url_attributes(span, raw.decode("latin-1") if isinstance(raw, bytes) else str(raw))


def _client_query(request: Any) -> str:
    url = request.url  # httpx.URL, or the transport's (scheme, host, port, target) tuple
    raw = url[3].partition(b"?")[2] if isinstance(url, tuple) else url.query
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)


def redact_client_span(span: Span, request: Any) -> None:
    """``request_hook`` of the httpx instrumentation (synchronous clients)."""
    redact_url_attributes(span, _client_query(request))


async def redact_async_client_span(span: Span, request: Any) -> None:
    """``async_request_hook`` of the httpx instrumentation."""
    redact_url_attributes(span, _client_query(request))


def instrument_http_clients() -> None:
    """A client span for every httpx request of the process, its query values redacted."""
    HTTPXClientInstrumentor().instrument(
        request_hook=redact_client_span, async_request_hook=redact_async_client_span
    )


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
    instrument_http_clients()


def instrument_app(app: FastAPI) -> None:
    """One server span per request. The ASGI instrumentation would also make a span per
    message received and sent (four more for a small request), which tell nothing the
    server span does not and cost as much to make."""
    FastAPIInstrumentor.instrument_app(
        app,
        excluded_urls=_EXCLUDED_URLS,
        exclude_spans=["receive", "send"],
        server_request_hook=redact_server_span,
    )
