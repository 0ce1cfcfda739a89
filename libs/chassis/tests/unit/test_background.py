"""Background tasks stop even when a library swallows a cancellation."""

from __future__ import annotations

import asyncio

from crm_chassis.background import (
    PeriodicWork,
    RunsPeriodically,
    cancel_and_wait,
    finish_or_cancel,
)


async def _swallowing_first_cancellation(cancelled: list[int]) -> None:
    """Behaves like ``asyncio.wait_for`` on 3.11 when its read completes as the
    cancellation arrives: the first cancellation is lost and the loop runs on."""
    while True:
        try:
            await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            cancelled.append(1)
            if len(cancelled) > 1:
                raise


async def test_a_task_that_swallows_a_cancellation_is_cancelled_again() -> None:
    cancelled: list[int] = []
    task = asyncio.create_task(_swallowing_first_cancellation(cancelled))
    await asyncio.sleep(0)

    await asyncio.wait_for(cancel_and_wait(task), timeout=5)

    assert task.cancelled()
    assert len(cancelled) == 2


async def test_a_task_that_ends_within_its_grace_is_not_cancelled() -> None:
    task = asyncio.create_task(asyncio.sleep(0.01, result="done"))

    assert await finish_or_cancel(task, grace_seconds=5) is True
    assert task.result() == "done"


async def test_a_task_that_outlives_its_grace_is_cancelled() -> None:
    task = asyncio.create_task(asyncio.sleep(60))

    assert await finish_or_cancel(task, grace_seconds=0.01) is False
    assert task.cancelled()


async def test_periodic_work_stops_although_its_work_swallows_a_cancellation() -> None:
    cancelled: list[int] = []
    rounds = asyncio.Event()

    async def work() -> None:
        rounds.set()
        await _swallowing_first_cancellation(cancelled)

    loop = PeriodicWork("swallower", work, interval=0.01)
    loop.start()
    await asyncio.wait_for(rounds.wait(), timeout=5)

    await asyncio.wait_for(loop.stop(), timeout=5)

    assert cancelled == [1, 1]


async def test_periodic_work_survives_a_failing_round() -> None:
    calls: list[int] = []
    second_round = asyncio.Event()

    async def work() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database hiccupped")
        second_round.set()

    loop = PeriodicWork("flaky", work, interval=0.01)
    loop.start()
    await asyncio.wait_for(second_round.wait(), timeout=5)
    await loop.stop()

    assert loop.rounds >= 2


async def test_a_part_that_runs_periodically_is_started_woken_and_stopped_through_its_loop() -> (
    None
):
    ran = asyncio.Event()

    class Counter(RunsPeriodically):
        def __init__(self) -> None:
            self.periodic = PeriodicWork("counter", self.count, interval=3600)

        async def count(self) -> None:
            ran.set()

    counter = Counter()
    counter.start()
    counter.wake()  # not an hour from now
    await asyncio.wait_for(ran.wait(), timeout=5)
    await counter.stop()
    assert counter.rounds >= 1
