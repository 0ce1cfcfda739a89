"""One trace runs from the HTTP request that wrote an event to its consumer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import Eventing, with_outbox
from crm_contracts.envelope import CloudEvent

pytestmark = pytest.mark.integration

CREATED = "crm.customer.customer.created.v1"


def _named(exporter: InMemorySpanExporter, name: str) -> ReadableSpan | None:
    return next((span for span in exporter.get_finished_spans() if span.name == name), None)


async def test_request_publish_and_consume_share_one_trace(
    db: AsyncDatabase[dict[str, Any]],
    start_eventing: Callable[..., Awaitable[Eventing]],
    customer_created: Callable[..., CloudEvent],
    spans: InMemorySpanExporter,
    eventually: Any,
) -> None:
    seen_in_handler: list[int] = []

    async def on_created(event: CloudEvent) -> None:
        seen_in_handler.append(trace.get_current_span().get_span_context().trace_id)

    eventing = await start_eventing({CREATED: on_created})
    tracer = trace.get_tracer("test")
    event = customer_created()
    with tracer.start_as_current_span("POST /api/v1/customers", kind=SpanKind.SERVER) as request:
        await db["customers"].insert_one(with_outbox({"_id": "c1"}, [event]))
    eventing.notify_outbox()

    await eventually(lambda: _named(spans, f"{CREATED} receive") is not None, what="receive span")
    publish = _named(spans, f"{CREATED} publish")
    receive = _named(spans, f"{CREATED} receive")
    assert publish is not None
    assert receive is not None
    trace_id = request.get_span_context().trace_id
    assert seen_in_handler == [trace_id]
    assert publish.kind == SpanKind.PRODUCER
    assert publish.parent is not None
    assert publish.parent.span_id == request.get_span_context().span_id
    assert receive.kind == SpanKind.CONSUMER
    assert receive.parent is not None
    assert receive.parent.span_id == publish.context.span_id
    for span in (publish, receive):
        assert span.context.trace_id == trace_id
        assert span.attributes is not None
        assert span.attributes["messaging.system"] == "rabbitmq"
        assert span.attributes["messaging.message.id"] == event.id
        assert span.attributes["messaging.destination.name"] == eventing.settings.exchange
