"""Background tasks of a service (scanners, publishers, refreshers), started and
stopped with the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

_RECANCEL_SECONDS = 0.1


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel ``task`` and return once it has ended.

    One ``cancel()`` is not always enough: on Python 3.11 ``asyncio.wait_for`` (which
    PyMongo's network layer uses for every read) swallows a cancellation that arrives
    just as its operation completes, and the task then runs on. So the task is
    cancelled again until it ends; a shutdown never hangs on it.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=_RECANCEL_SECONDS)
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("background task %s ended with an error", task.get_name(), exc_info=error)


async def finish_or_cancel(task: asyncio.Task[Any], grace_seconds: float) -> bool:
    """Give ``task`` up to ``grace_seconds`` to end by itself, then cancel it.

    Returns whether it ended by itself.
    """
    await asyncio.wait({task}, timeout=grace_seconds)
    finished = task.done()
    await cancel_and_wait(task)
    return finished


class PeriodicWork:
    """Runs ``work`` in a task every ``interval`` seconds, or sooner when woken, but
    never sooner than ``min_gap`` seconds after the previous round: wake-ups that
    arrive meanwhile are served together, in one round.

    A failing round (a database hiccup, a mail server away) is logged and the next
    round runs as usual: the loop must outlive any single failure.
    """

    def __init__(
        self,
        name: str,
        work: Callable[[], Awaitable[object]],
        interval: float,
        *,
        min_gap: float = 0.0,
    ) -> None:
        self.name = name
        self.work = work
        self.interval = interval
        self.min_gap = min_gap
        self.rounds = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            await cancel_and_wait(task)

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            self._wake.clear()
            try:
                await self.work()
            except Exception:
                log.exception("background work %s failed; next round as usual", self.name)
            self.rounds += 1
            if self.min_gap:
                await asyncio.sleep(self.min_gap)


class RunsPeriodically:
    """Start, stop, wake and count the rounds of an object's one :class:`PeriodicWork`
    (``self.periodic``), for the senders and watchers a service runs as parts."""

    periodic: PeriodicWork

    def start(self) -> None:
        self.periodic.start()

    async def stop(self) -> None:
        await self.periodic.stop()

    def wake(self) -> None:
        """Run a round now, not at the next interval."""
        self.periodic.wake()

    @property
    def rounds(self) -> int:
        return self.periodic.rounds
