"""The audit log collection, kept for the configured retention (a TTL index on ``at``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pymongo import DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from crm_chassis.mongo import Document
from gateway.domain.audit import AuditEntry
from gateway.store import AUDIT_LOG

log = logging.getLogger(__name__)

RETENTION_INDEX = "audit_at"


class AuditStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[AUDIT_LOG]

    async def keep_for(self, seconds: int) -> None:
        """Entries older than ``seconds`` are removed by the database (TTL index on
        ``at``, also used to list by time). A changed retention updates the index in
        place, or rebuilds it where the server cannot."""
        existing = (await self._entries.index_information()).get(RETENTION_INDEX)
        if existing is not None and existing.get("expireAfterSeconds") == seconds:
            return
        if existing is not None:
            try:
                await self._entries.database.command(
                    "collMod",
                    self._entries.name,
                    index={"name": RETENTION_INDEX, "expireAfterSeconds": seconds},
                )
                return
            except OperationFailure as error:
                log.info("rebuilding the audit retention index (%s)", error)
                await self._entries.drop_index(RETENTION_INDEX)
        model = IndexModel([("at", DESCENDING)], name=RETENTION_INDEX, expireAfterSeconds=seconds)
        await self._entries.create_indexes([model])
        log.info("audit entries are kept for %d days", seconds // 86400)

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
