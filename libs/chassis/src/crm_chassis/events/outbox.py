"""The transactional outbox, kept inside the aggregate document itself.

MongoDB gives atomicity per document only, so the events a write causes are
embedded in the very document the write changes (``OUTBOX_FIELD``): the new state
and its pending events are stored together or not at all. A top-level
``_outbox_since`` (the time the oldest pending entry was written, indexed, absent
when nothing is pending) lets the relay find pending documents cheaply, and the
lease fields let exactly one relay work on a document at a time.

Each entry carries an explicit state, as eShop's ``EventStateEnum``:
``not_published`` when written, ``in_progress`` while a relay holds the lease,
``failed`` after a failed publish (retried later), and ``published``, which is
recorded in the ``outbox_log`` collection when the entry leaves the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from crm_chassis.events.tracing import current_traceparent
from crm_contracts.envelope import CloudEvent

OUTBOX_FIELD = "_outbox"
PENDING_SINCE_FIELD = "_outbox_since"
LEASE_OWNER_FIELD = "_outbox_lease_owner"
LEASE_UNTIL_FIELD = "_outbox_lease_until"
OUTBOX_LOG_COLLECTION = "outbox_log"


class EventState(StrEnum):
    NOT_PUBLISHED = "not_published"
    IN_PROGRESS = "in_progress"
    PUBLISHED = "published"
    FAILED = "failed"


def outbox_entry(event: CloudEvent, written_at: datetime) -> dict[str, Any]:
    """The stored form of one pending event.

    An event created inside a traced request gets that request's ``traceparent``,
    so the relay's later publish joins the request's trace.
    """
    if event.traceparent is None:
        traceparent = current_traceparent()
        if traceparent is not None:
            event = event.model_copy(update={"traceparent": traceparent})
    return {
        "event_id": event.id,
        "type": event.type,
        "state": EventState.NOT_PUBLISHED.value,
        "attempts": 0,
        "written_at": written_at,
        # JSON mode keeps the envelope exact (BSON dates would drop microseconds).
        "event": event.model_dump(mode="json", exclude_none=True),
    }


def with_outbox(document: Mapping[str, Any], events: Sequence[CloudEvent]) -> dict[str, Any]:
    """For ``insert_one``: the document with its pending events embedded."""
    if OUTBOX_FIELD in document:
        raise ValueError(f"the document already has an {OUTBOX_FIELD} field")
    result = dict(document)
    if not events:
        return result
    now = datetime.now(UTC)
    result[OUTBOX_FIELD] = [outbox_entry(event, now) for event in events]
    result[PENDING_SINCE_FIELD] = now
    return result


def add_outbox(update: Mapping[str, Any], events: Sequence[CloudEvent]) -> dict[str, Any]:
    """For ``update_one`` / ``find_one_and_update``: the update plus pushing the events.

    The caller's operators are kept; only ``$push`` of the outbox field and ``$min``
    of the pending marker (which keeps the oldest time) are merged in.
    """
    result = {operator: dict(fields) for operator, fields in update.items()}
    if not events:
        return result
    for operator in result.values():
        if OUTBOX_FIELD in operator or PENDING_SINCE_FIELD in operator:
            raise ValueError("the update already touches the outbox fields")
    now = datetime.now(UTC)
    entries = [outbox_entry(event, now) for event in events]
    result.setdefault("$push", {})[OUTBOX_FIELD] = {"$each": entries}
    result.setdefault("$min", {})[PENDING_SINCE_FIELD] = now
    return result
