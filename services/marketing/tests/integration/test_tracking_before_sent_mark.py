"""An open or click that arrives before the sender's ``sent`` mark still counts.

The SMTP server accepts a message before the sender's group commit marks it sent, so a
recipient (or a mail client that loads images at once) can open it while it is still
``sending``. Such an open was dropped, and the timeline never showed it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from marketing.domain import deliveries as rules
from marketing.domain.deliveries import DeliveryStatus
from marketing.store import DELIVERIES
from marketing.store.deliveries import DeliveryQueue, sent_update

from .conftest import Service

pytestmark = pytest.mark.integration

SENDER = "sender-1"


async def _leased_delivery(service: Service, delivery_id: str, now: datetime) -> None:
    """A message a sender has handed to SMTP but not yet marked sent."""
    await service.collection(DELIVERIES).insert_one(
        {
            "_id": delivery_id,
            "campaign_id": "c-1",
            "customer_id": "cust-1",
            "status": DeliveryStatus.SENDING.value,
            "lease_owner": SENDER,
            "lease_until": now + timedelta(minutes=5),
            "attempts": 0,
        }
    )


async def test_open_before_the_sent_mark_is_counted_and_the_mark_does_not_undo_it(
    service: Service,
) -> None:
    queue = DeliveryQueue(service.app.state.runtime.db)
    now = datetime.now(UTC).replace(microsecond=0)
    await _leased_delivery(service, "d-open", now)
    opened = rules.opened_event("d-open", "c-1", "cust-1", now)

    assert await queue.record_open("d-open", now, [opened]) is True
    late_mark = sent_update("d-open", SENDER, now + timedelta(seconds=1))
    assert await queue.write_sent([late_mark], [], now) == 0

    stored = await service.collection(DELIVERIES).find_one({"_id": "d-open"})
    assert stored is not None
    assert stored["status"] == DeliveryStatus.OPENED.value
    assert stored["opened_at"].replace(tzinfo=UTC) == now
    assert stored["sent_at"].replace(tzinfo=UTC) == now
    assert "lease_owner" not in stored
    assert await queue.recover_expired_leases(now + timedelta(hours=1)) == 0


async def test_click_before_the_sent_mark_is_counted_with_its_open(service: Service) -> None:
    queue = DeliveryQueue(service.app.state.runtime.db)
    now = datetime.now(UTC).replace(microsecond=0)
    await _leased_delivery(service, "d-click", now)
    clicked = rules.clicked_event("d-click", "c-1", "cust-1", "https://example.com", now)

    assert await queue.record_click("d-click", now, [clicked]) is True

    stored = await service.collection(DELIVERIES).find_one({"_id": "d-click"})
    assert stored is not None
    assert stored["status"] == DeliveryStatus.CLICKED.value
    assert stored["click_count"] == 1
    assert stored["opened_at"].replace(tzinfo=UTC) == now
    assert stored["sent_at"].replace(tzinfo=UTC) == now
    assert "lease_owner" not in stored


async def test_an_open_of_a_queued_message_changes_nothing(service: Service) -> None:
    queue = DeliveryQueue(service.app.state.runtime.db)
    now = datetime.now(UTC)
    await service.collection(DELIVERIES).insert_one(
        {"_id": "d-queued", "status": DeliveryStatus.QUEUED.value}
    )

    assert await queue.record_open("d-queued", now, []) is False
