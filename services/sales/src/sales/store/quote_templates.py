"""Quote templates: definitions an admin replaces whole (no version, no events)."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec
from sales.domain.quotes import QuoteTemplate
from sales.store import collections as c

_CODEC = ModelCodec(QuoteTemplate, "template_id")


class QuoteTemplateStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._templates = db[c.QUOTE_TEMPLATES]

    async def get(self, template_id: str) -> QuoteTemplate | None:
        document = await self._templates.find_one({"_id": template_id})
        return None if document is None else _CODEC.from_document(document)

    async def list(self, limit: int = 500) -> list[QuoteTemplate]:
        cursor = self._templates.find({}).sort("name", 1).limit(limit)
        return [_CODEC.from_document(document) async for document in cursor]

    async def put(self, template: QuoteTemplate) -> None:
        document = _CODEC.to_document(template)
        await self._templates.replace_one({"_id": document["_id"]}, document, upsert=True)
