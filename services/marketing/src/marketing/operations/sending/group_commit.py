"""Group commit of ``sent`` marks: one database round trip for many messages.

Lanes hand in the write for each message the SMTP server accepted; while one
bulk write is in flight the next group gathers, so the group size follows the
database's latency. This widens the at-least-once window of the sender (a crash
loses the marks of the group in flight, whose messages are then sent again with
the same Message-ID) from one message to one group.
"""

from __future__ import annotations

import asyncio
import logging

from pymongo import UpdateOne

from crm_chassis.clock import utc_now
from crm_contracts.envelope import CloudEvent
from marketing.store.deliveries import DeliveryQueue

log = logging.getLogger(__name__)


class SentMarks:
    def __init__(self, queue: DeliveryQueue) -> None:
        self._queue = queue
        self._pending: list[tuple[UpdateOne, CloudEvent]] = []
        self._writer: asyncio.Task[None] | None = None

    def add(self, update: UpdateOne, event: CloudEvent) -> None:
        self._pending.append((update, event))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())

    async def _write_all(self) -> None:
        while self._pending:
            group, self._pending = self._pending, []
            applied = await self._queue.write_sent(
                [u for u, _ in group], [e for _, e in group], utc_now()
            )
            if applied < len(group):
                log.warning(
                    "%d sent messages had lost their lease or were opened first",
                    len(group) - applied,
                )

    async def flush(self) -> None:
        """Wait until every mark handed in so far is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)
        if self._pending:
            await self._write_all()
