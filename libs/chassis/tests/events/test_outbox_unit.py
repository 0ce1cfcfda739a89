"""The outbox helpers build the single-document writes stores use (no servers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from opentelemetry.sdk.trace import TracerProvider

from crm_chassis.events import OUTBOX_FIELD, EventState, add_outbox, with_outbox
from crm_contracts.envelope import CloudEvent


def test_insert_document_carries_its_events_as_not_published_entries(
    customer_created: Callable[..., CloudEvent],
) -> None:
    first, second = customer_created(), customer_created()

    document = with_outbox({"_id": "c1", "name": "Ada"}, [first, second])

    assert document["name"] == "Ada"
    assert [e["event_id"] for e in document[OUTBOX_FIELD]] == [first.id, second.id]
    assert {e["state"] for e in document[OUTBOX_FIELD]} == {EventState.NOT_PUBLISHED}
    assert CloudEvent.model_validate(document[OUTBOX_FIELD][0]["event"]) == first
    assert "_outbox_since" in document


def test_update_keeps_the_callers_operators(customer_created: Callable[..., CloudEvent]) -> None:
    event = customer_created()
    caller = {"$set": {"name": "Ada"}, "$push": {"tags": "vip"}, "$inc": {"version": 1}}

    update = add_outbox(caller, [event])

    assert update["$set"] == {"name": "Ada"}
    assert update["$inc"] == {"version": 1}
    assert update["$push"]["tags"] == "vip"
    assert [e["event_id"] for e in update["$push"][OUTBOX_FIELD]["$each"]] == [event.id]
    assert "_outbox_since" in update["$min"]
    assert caller["$push"] == {"tags": "vip"}, "the caller's update is not modified"


def test_update_that_touches_the_outbox_itself_is_refused(
    customer_created: Callable[..., CloudEvent],
) -> None:
    with pytest.raises(ValueError, match="outbox"):
        add_outbox({"$set": {OUTBOX_FIELD: []}}, [customer_created()])


def test_event_written_inside_a_traced_request_remembers_its_trace(
    customer_created: Callable[..., CloudEvent],
) -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("POST /api/v1/customers") as span:
        document = with_outbox({"_id": "c1"}, [customer_created()])
    trace_id = format(span.get_span_context().trace_id, "032x")

    assert document[OUTBOX_FIELD][0]["event"]["traceparent"].split("-")[1] == trace_id
