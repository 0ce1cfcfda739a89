"""The audit log collection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from gateway.domain.audit import AuditEntry
from gateway.store import AUDIT_LOG


class AuditStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[AUDIT_LOG]

    async def append(self, entry: AuditEntry) -> None:
        document = entry.model_dump(exclude={"id"})
        document["_id"] = entry.id
        await self._entries.insert_one(document)

    async def list(
        self, query: Mapping[str, Any], sort: list[tuple[str, int]], offset: int, limit: int
    ) -> tuple[list[AuditEntry], int]:
        cursor = self._entries.find(dict(query)).sort(sort).skip(offset).limit(limit)
        items = [
            AuditEntry.model_validate({**document, "id": document["_id"]})
            async for document in cursor
        ]
        return items, await self._entries.count_documents(dict(query))
