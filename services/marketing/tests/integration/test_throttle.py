"""Throttling (M-4): the per-minute allowance is shared by every sender replica."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from marketing.store.deliveries import DeliveryQueue

from .conftest import Service

pytestmark = pytest.mark.integration

WINDOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_concurrent_senders_never_exceed_the_per_minute_limit(service: Service) -> None:
    queue = DeliveryQueue(service.app.state.runtime.db)
    grants = await asyncio.gather(*(queue.reserve_slots(WINDOW, 60, 25, 3) for _ in range(20)))
    assert sum(grants) == 25
    assert await queue.reserve_slots(WINDOW, 60, 25, 1) == 0


async def test_unused_slots_are_given_back_and_a_new_minute_starts_afresh(
    service: Service,
) -> None:
    queue = DeliveryQueue(service.app.state.runtime.db)
    assert await queue.reserve_slots(WINDOW, 60, 10, 8) == 8
    await queue.give_back_slots(WINDOW, 5)
    assert await queue.reserve_slots(WINDOW, 60, 10, 8) == 7
    next_minute = WINDOW.replace(minute=1)
    assert await queue.reserve_slots(next_minute, 60, 10, 8) == 8
