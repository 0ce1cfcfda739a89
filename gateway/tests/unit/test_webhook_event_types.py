"""Webhooks carry the business's events, never the platform's own people or operations."""

from __future__ import annotations

from crm_contracts.events import EVENT_TYPES
from crm_contracts.events.gateway import UserChanged
from crm_contracts.events.platform import DeadLetterParked
from gateway.handlers import BINDINGS, WEBHOOK_EVENT_TYPES


def _bound(event_type: str) -> bool:
    return any(event_type.startswith(binding.removesuffix("#")) for binding in BINDINGS)


def test_staff_directory_and_dead_letter_notices_are_not_offered_to_webhooks() -> None:
    for internal in (UserChanged.TYPE, DeadLetterParked.TYPE):
        assert internal not in WEBHOOK_EVENT_TYPES
        assert not _bound(internal)


def test_every_business_event_is_bound_and_offered() -> None:
    business = {t for t in EVENT_TYPES if t.split(".")[1] not in {"gateway", "platform"}}
    assert set(WEBHOOK_EVENT_TYPES) == business
    assert all(_bound(event_type) for event_type in business)
