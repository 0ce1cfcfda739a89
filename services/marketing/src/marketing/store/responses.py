"""Campaign responses (form sign-ups, replies): each one is handed to sales as a lead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import with_outbox
from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.envelope import CloudEvent
from marketing.store import RESPONSES, documents


class ResponseStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._responses = db[RESPONSES]

    async def insert(self, document: Document, events: Sequence[CloudEvent]) -> None:
        await self._responses.insert_one(with_outbox(document, events))

    async def page(
        self, query: Mapping[str, Any], sort: SortSpec, params: PageParams
    ) -> tuple[list[Document], int]:
        return await documents.page(self._responses, query, sort, params)

    async def anonymise(self, customer_id: str) -> None:
        """Erasure: the customer's responses keep no name, address, phone or words."""
        await self._responses.update_many(
            {"customer_id": customer_id},
            {"$set": {"name": "(erased)"}, "$unset": {"email": "", "phone": "", "interest": ""}},
        )
