"""Satisfaction surveys: one per ticket (unique ``ticket_id``), answered once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.domain_errors import StateConflict
from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document
from crm_chassis.pagination import Page
from crm_chassis.versioned_store import STATE_PROJECTION, ModelCodec, Sort
from crm_contracts.events.registry import EventData, to_cloud_event
from support.domain.surveys import Survey, SurveyStatus
from support.store import SURVEYS

_CODEC = ModelCodec(Survey, "id")


class SurveyStore:
    """Not a versioned aggregate: each change is one conditional write of its own."""

    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        self._surveys = db[SURVEYS]
        self._notify = notify

    async def create_once(self, survey: Survey) -> Survey:
        """The ticket's survey: this one, or the one an earlier delivery created."""
        try:
            await self._surveys.insert_one(_CODEC.to_document(survey))
        except DuplicateKeyError:
            existing = await self._surveys.find_one(
                {"ticket_id": survey.ticket_id}, STATE_PROJECTION
            )
            assert existing is not None
            return _CODEC.from_document(existing)
        return survey

    async def get(self, survey_id: str) -> Survey | None:
        document = await self._surveys.find_one({"_id": survey_id}, STATE_PROJECTION)
        return _CODEC.from_document(document) if document else None

    async def mark_sent(self, survey_id: str, now: datetime) -> None:
        await self._surveys.update_one(
            {"_id": survey_id, "status": SurveyStatus.PENDING.value},
            {
                "$set": {"status": SurveyStatus.SENT.value, "sent_at": now},
                "$inc": {"send_attempts": 1},
            },
        )

    async def record_answer(self, survey: Survey, events: Sequence[EventData]) -> None:
        """Store the answer unless one is already there (one answer per ticket: a second
        is a :class:`StateConflict`)."""
        update = add_outbox(
            {
                "$set": {
                    "status": survey.status.value,
                    "score": survey.score,
                    "comment": survey.comment,
                    "answered_at": survey.answered_at,
                }
            },
            [to_cloud_event(event, subject=survey.id) for event in events],
        )
        result = await self._surveys.update_one({"_id": survey.id, "answered_at": None}, update)
        if result.modified_count != 1:
            raise StateConflict("This survey has already been answered.")
        if events and self._notify is not None:
            self._notify()

    async def page(
        self, query: Mapping[str, Any], *, sort: Sort, offset: int, limit: int
    ) -> Page[Survey]:
        cursor = self._surveys.find(
            dict(query), STATE_PROJECTION, sort=list(sort), skip=offset, limit=limit
        )
        items = [_CODEC.from_document(document) async for document in cursor]
        total = await self._surveys.count_documents(dict(query))
        return Page(items=items, total=total, offset=offset, limit=limit)

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
