"""OpenTelemetry spans over AMQP, named as STYLE 16 asks: ``<routing key> publish|receive``.

The maintained ``opentelemetry-instrumentation-aio-pika`` does not fit: it supports
aio-pika < 10 only, names spans after the exchange rather than the routing key, and
always parents the publish span on the current context, whereas our relay publishes
long after the request that wrote the event. So the spans are made here: the
envelope's ``traceparent`` (captured at write time) parents the publish span, whose
context travels in the AMQP headers to the consumer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind

from crm_contracts.envelope import CloudEvent

_tracer_name = "crm_chassis.events"


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the active span, if there is a valid one."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def _attributes(
    event_id: str | None, exchange: str, routing_key: str, operation: str
) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "messaging.system": "rabbitmq",
        "messaging.destination.name": exchange,
        "messaging.rabbitmq.destination.routing_key": routing_key,
        "messaging.operation.type": operation,
    }
    if event_id:
        attributes["messaging.message.id"] = event_id
    return attributes


@contextmanager
def publish_span(event: CloudEvent, exchange: str, headers: dict[str, Any]) -> Iterator[Span]:
    """A PRODUCER span, child of the context the event was written in.

    The span's context is injected into ``headers`` (the AMQP message headers).
    """
    parent = _extract({"traceparent": event.traceparent} if event.traceparent else {})
    tracer = trace.get_tracer(_tracer_name)
    with tracer.start_as_current_span(
        f"{event.type} publish",
        context=parent,
        kind=SpanKind.PRODUCER,
        attributes=_attributes(event.id, exchange, event.type, "publish"),
    ) as span:
        propagate.inject(headers)
        yield span


@contextmanager
def receive_span(
    routing_key: str,
    event_id: str | None,
    exchange: str,
    headers: Mapping[str, Any],
    fallback_traceparent: str | None,
) -> Iterator[Span]:
    """A CONSUMER span continuing the trace from the message headers.

    Falls back to the envelope's ``traceparent`` when the headers carry none (a
    message published by something other than our relay).
    """
    carrier = {key: str(value) for key, value in headers.items() if isinstance(value, str)}
    if "traceparent" not in carrier and fallback_traceparent:
        carrier["traceparent"] = fallback_traceparent
    tracer = trace.get_tracer(_tracer_name)
    with tracer.start_as_current_span(
        f"{routing_key} receive",
        context=_extract(carrier),
        kind=SpanKind.CONSUMER,
        attributes=_attributes(event_id, exchange, routing_key, "receive"),
    ) as span:
        yield span


def _extract(carrier: Mapping[str, str]) -> Context:
    return propagate.extract(dict(carrier))
