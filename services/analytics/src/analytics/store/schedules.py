"""Storage of report schedules (collection ``report_schedules``, which carries an outbox).

Schedules are versioned aggregates on the chassis store; besides their state a stored
schedule has a delivery lease (``lease_until``) so only one worker sends a due report.
Every write of the state releases the lease.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from analytics.domain.schedules import ReportSchedule
from analytics.store.collections import EPOCH, SCHEDULES
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import STATE_PROJECTION, ModelCodec, VersionedStore

LEASE = "lease_until"


class ScheduleCodec(ModelCodec[ReportSchedule]):
    """The schedule's fields as they are, plus a released delivery lease."""

    def __init__(self) -> None:
        super().__init__(ReportSchedule, "id")

    def to_document(self, aggregate: ReportSchedule) -> Document:
        return {**super().to_document(aggregate), LEASE: EPOCH}

    def from_document(self, document: Mapping[str, Any]) -> ReportSchedule:
        return super().from_document({k: v for k, v in document.items() if k != LEASE})


class ScheduleStore(VersionedStore[ReportSchedule]):
    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[SCHEDULES], ScheduleCodec(), notify=notify)

    async def claim_due(self, now: datetime, lease: timedelta) -> ReportSchedule | None:
        """Take one schedule whose run is due, leased so only one worker sends it."""
        document = await self.collection.find_one_and_update(
            {"next_run_at": {"$lte": now}, LEASE: {"$lte": now}},
            {"$set": {LEASE: now + lease}},
            sort=[("next_run_at", 1)],
            projection=STATE_PROJECTION,
            return_document=ReturnDocument.AFTER,
        )
        return self.codec.from_document(document) if document else None
