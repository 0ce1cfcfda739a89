"""Satisfaction surveys: one per ticket (unique ``ticket_id``), answered once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.events.registry import EventData
from support.domain.surveys import Survey, SurveyStatus
from support.store import SURVEYS
from support.store.documents import find_page, from_document, to_document
from support.store.tickets import cloud_events


class SurveyStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._surveys = db[SURVEYS]

    async def create_once(self, survey: Survey) -> Survey:
        """The ticket's survey: this one, or the one an earlier delivery created."""
        try:
            await self._surveys.insert_one(to_document(survey))
        except DuplicateKeyError:
            existing = await self._surveys.find_one({"ticket_id": survey.ticket_id})
            assert existing is not None
            return from_document(Survey, existing)
        return survey

    async def get(self, survey_id: str) -> Survey | None:
        document = await self._surveys.find_one({"_id": survey_id})
        return from_document(Survey, document) if document else None

    async def mark_sent(self, survey_id: str, now: datetime) -> None:
        await self._surveys.update_one(
            {"_id": survey_id, "status": SurveyStatus.PENDING.value},
            {
                "$set": {"status": SurveyStatus.SENT.value, "sent_at": now},
                "$inc": {"send_attempts": 1},
            },
        )

    async def record_answer(self, survey: Survey, events: Sequence[EventData]) -> bool:
        """Store the answer unless one is already there (one answer per ticket)."""
        update = add_outbox(
            {
                "$set": {
                    "status": survey.status.value,
                    "score": survey.score,
                    "comment": survey.comment,
                    "answered_at": survey.answered_at,
                }
            },
            cloud_events(survey.id, events),
        )
        result = await self._surveys.update_one({"_id": survey.id, "answered_at": None}, update)
        return result.modified_count == 1

    async def page(
        self, query: dict[str, Any], sort: SortSpec, page: PageParams
    ) -> tuple[list[Survey], int]:
        return await find_page(self._surveys, Survey, query, sort, page)

    async def counts_by_status(self, query: dict[str, Any] | None = None) -> dict[str, int]:
        """How many surveys (of those ``query`` selects) are in each status."""
        pipeline: list[dict[str, Any]] = [{"$group": {"_id": "$status", "n": {"$sum": 1}}}]
        if query:
            pipeline.insert(0, {"$match": query})
        cursor = await self._surveys.aggregate(pipeline)
        return {str(row["_id"]): int(row["n"]) async for row in cursor}

    async def scores_for(self, ticket_ids: list[str]) -> dict[str, int]:
        cursor = self._surveys.find(
            {"ticket_id": {"$in": ticket_ids}, "score": {"$ne": None}},
            projection={"ticket_id": True, "score": True},
        )
        return {str(d["ticket_id"]): int(d["score"]) async for d in cursor}

    async def reassign_customer(self, merged_id: str, surviving_id: str) -> None:
        await self._surveys.update_many(
            {"customer_id": merged_id}, {"$set": {"customer_id": surviving_id}}
        )

    async def erase_customer(self, customer_id: str) -> None:
        """Right to erasure: keep the score for the statistics, drop address and words."""
        await self._surveys.update_many(
            {"customer_id": customer_id}, {"$set": {"email": None, "comment": None}}
        )
