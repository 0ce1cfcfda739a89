"""Recording audit entries off the request path, without losing them at shutdown."""

from __future__ import annotations

import asyncio
import logging

from gateway.domain.audit import AuditEntry
from gateway.store.audit import AuditStore

log = logging.getLogger(__name__)


class AuditRecorder:
    def __init__(self, store: AuditStore) -> None:
        self._store = store
        self._pending: set[asyncio.Task[None]] = set()

    def record(self, entry: AuditEntry) -> None:
        task = asyncio.create_task(self._write(entry))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _write(self, entry: AuditEntry) -> None:
        try:
            await self._store.append(entry)
        except Exception:  # an audit write must never break the request it describes
            log.exception(
                "could not write the audit entry for %s %s by %s",
                entry.method,
                entry.path,
                entry.actor,
            )

    async def drain(self) -> None:
        if self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
