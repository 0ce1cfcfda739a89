"""Periodic background work of a service (scanners, publishers, refreshers), started and
stopped with the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


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
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
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
