"""Recording audit entries off the request path, without losing them at shutdown,
and counting the anonymous write attempts that were refused (not stored)."""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import Counter

from gateway.domain.audit import AuditEntry
from gateway.store.audit import AuditStore

log = logging.getLogger(__name__)

# Labels are bounded: a route template (or "unmatched") and an outcome, never a path.
ANONYMOUS_REFUSED_WRITES = Counter(
    "crm_gateway_anonymous_refused_writes_total",
    "Write attempts without a valid token that were refused (not in the audit log)",
    ["service", "route", "outcome"],
)


class AuditRecorder:
    def __init__(self, store: AuditStore, service: str = "gateway") -> None:
        self._store = store
        self._service = service
        self._pending: set[asyncio.Task[None]] = set()

    def count_anonymous_refusal(self, route: str | None, outcome: str) -> None:
        ANONYMOUS_REFUSED_WRITES.labels(self._service, route or "unmatched", outcome).inc()

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
