"""Storage of report schedules (collection ``report_schedules``, which carries an outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from analytics.domain.schedules import ReportSchedule
from analytics.store.collections import EPOCH, SCHEDULES
from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document
from crm_contracts.envelope import CloudEvent

STATE_FIELDS = ("lease_until",)


def _to_document(schedule: ReportSchedule) -> Document:
    document = schedule.model_dump(mode="python")
    document["_id"] = document.pop("id")
    document["recipients"] = list(schedule.recipients)
    document["filters"] = schedule.filters.model_dump()
    return document


def _from_document(document: Document) -> ReportSchedule:
    fields = {k: v for k, v in document.items() if not k.startswith("_") and k not in STATE_FIELDS}
    return ReportSchedule.model_validate({**fields, "id": document["_id"]})


class ScheduleStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[SCHEDULES]

    async def insert(self, schedule: ReportSchedule) -> None:
        await self._collection.insert_one({**_to_document(schedule), "lease_until": EPOCH})

    async def get(self, schedule_id: str) -> ReportSchedule | None:
        document = await self._collection.find_one({"_id": schedule_id})
        return _from_document(document) if document else None

    async def page(
        self, query: dict[str, Any], sort: list[tuple[str, int]], offset: int, limit: int
    ) -> tuple[list[ReportSchedule], int]:
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query).sort(sort).skip(offset).limit(limit)
        return [_from_document(d) async for d in cursor], total

    async def replace(
        self,
        schedule: ReportSchedule,
        expected_version: int,
        events: Sequence[CloudEvent] = (),
    ) -> bool:
        """Write the new state (releasing any lease) if the stored one is still
        ``expected_version``; ``events`` go to the outbox in the same write."""
        fields = {k: v for k, v in _to_document(schedule).items() if k != "_id"}
        fields["lease_until"] = EPOCH
        update = add_outbox({"$set": fields}, events)
        result = await self._collection.update_one(
            {"_id": schedule.id, "version": expected_version}, update
        )
        return result.matched_count == 1

    async def delete(self, schedule_id: str, expected_version: int | None) -> bool:
        query: dict[str, Any] = {"_id": schedule_id}
        if expected_version is not None:
            query["version"] = expected_version
        result = await self._collection.delete_one(query)
        return result.deleted_count == 1

    async def claim_due(self, now: datetime, lease: timedelta) -> ReportSchedule | None:
        """Take one schedule whose run is due, leased so only one worker sends it."""
        document = await self._collection.find_one_and_update(
            {"next_run_at": {"$lte": now}, "lease_until": {"$lte": now}},
            {"$set": {"lease_until": now + lease}},
            sort=[("next_run_at", 1)],
            return_document=ReturnDocument.AFTER,
        )
        return _from_document(document) if document else None

    async def release(self, schedule_id: str) -> None:
        await self._collection.update_one({"_id": schedule_id}, {"$set": {"lease_until": EPOCH}})
