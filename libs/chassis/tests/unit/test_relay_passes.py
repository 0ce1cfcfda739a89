"""The outbox relay coalesces the wake-ups of a burst of writes into few passes."""

from __future__ import annotations

import asyncio
import time
from typing import Any, cast

from crm_chassis.events import EventingSettings
from crm_chassis.events.bus import Bus
from crm_chassis.events.relay import OutboxRelay
from crm_chassis.testing import wait_until


class _ReadyBus:
    def is_ready(self) -> bool:
        return True


async def _passes_during_burst(min_gap: float) -> tuple[int, float]:
    """Passes run while the relay is woken every 2 ms, and how long that took."""
    settings = EventingSettings(relay_min_gap_seconds=min_gap, relay_poll_seconds=30)
    relay = OutboxRelay(
        settings, cast(Bus, _ReadyBus()), [], cast(Any, None), service="test", owner="test"
    )
    passes = 0

    async def drain() -> None:
        nonlocal passes
        passes += 1

    relay._drain = drain  # type: ignore[method-assign]
    relay.start()
    started = time.monotonic()
    for _ in range(100):  # a write every 2 ms, each waking the relay
        relay.notify()
        await asyncio.sleep(0.002)
    elapsed = time.monotonic() - started
    await relay.stop(flush_seconds=1.0)
    return passes, elapsed


async def test_a_burst_of_wake_ups_runs_one_pass_per_gap() -> None:
    passes, elapsed = await _passes_during_burst(min_gap=0.05)
    assert passes <= elapsed / 0.05 + 2  # about 5 for a burst of 0.2 s
    passes, _ = await _passes_during_burst(min_gap=0.0)
    assert passes > 30  # without the gap, about one per wake-up


class _BrokerAway:
    def __init__(self) -> None:
        self.ready = False
        self.asked = 0  # how often the relay asked whether the broker is back

    def is_ready(self) -> bool:
        self.asked += 1
        return self.ready


async def test_a_relay_waiting_for_the_broker_passes_soon_after_it_is_back() -> None:
    """Writes made while the broker was away go out once it is back, not a poll later."""
    settings = EventingSettings(
        relay_min_gap_seconds=0.0, relay_poll_seconds=30, reconnect_interval_seconds=0.05
    )
    bus = _BrokerAway()
    relay = OutboxRelay(settings, cast(Bus, bus), [], cast(Any, None), service="t", owner="t")
    drained = asyncio.Event()

    async def drain() -> None:
        drained.set()

    relay._drain = drain  # type: ignore[method-assign]
    relay.start()
    relay.notify()  # a write while the broker is away: the pass finds it not ready

    async def asked_again() -> bool:
        return bus.asked >= 4  # the woken pass and a retry a reconnect interval later

    await wait_until(asked_again, timeout=2.0, what="the relay asking for the broker again")
    assert not drained.is_set()

    bus.ready = True
    await asyncio.wait_for(drained.wait(), timeout=2.0)
    await relay.stop(flush_seconds=1.0)


async def test_a_failed_publish_is_tried_again_when_its_back_off_ends_not_a_poll_later() -> None:
    """A publish can fail just after the broker came back (its channel not yet
    restored); the document backs off 1 s, and the next pass must come then."""
    settings = EventingSettings(relay_min_gap_seconds=0.0, relay_poll_seconds=30)
    relay = OutboxRelay(
        settings, cast(Bus, _ReadyBus()), [], cast(Any, None), service="t", owner="t"
    )
    passes: list[float] = []

    async def drain() -> None:
        passes.append(time.monotonic())
        if len(passes) == 1:  # the first pass fails to publish one event
            failed = ({"event_id": "e-1", "type": "t", "attempts": 0}, ConnectionError("gone"))
            relay._give_back(failed)

    relay._drain = drain  # type: ignore[method-assign]
    relay.start()

    async def tried_again() -> bool:
        return len(passes) >= 2

    await wait_until(tried_again, timeout=5.0, what="a pass after the back-off")
    await relay.stop(flush_seconds=1.0)
    assert 1.0 <= passes[1] - passes[0] < 3.0
