"""The audit trail (C-10): who changed which customer field when, before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from customer.domain.customer import FieldChange
from customer.store.schema import AUDIT


class AuditStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._audit = db[AUDIT]

    async def record(
        self,
        *,
        customer_id: str,
        version: int,
        actor: str,
        action: str,
        at: datetime,
        changes: Sequence[FieldChange] = (),
    ) -> None:
        """Keyed by customer and version, so recording the same change twice keeps one entry."""
        entry = {
            "customer_id": customer_id,
            "version": version,
            "actor": actor,
            "action": action,
            "at": at,
            "changes": [
                {"field": change.field, "before": change.before, "after": change.after}
                for change in changes
            ],
        }
        await self._audit.update_one(
            {"_id": f"{customer_id}:{version}"}, {"$setOnInsert": entry}, upsert=True
        )

    async def entries(self, customer_id: str, *, limit: int = 500) -> list[Document]:
        cursor = self._audit.find({"customer_id": customer_id}, projection={"_id": 0})
        return await cursor.sort([("at", -1), ("version", -1)]).limit(limit).to_list(length=limit)

    async def anonymise(self, customer_id: str) -> None:
        """Erasure keeps who did what when, but drops the personal values."""
        async for entry in self._audit.find({"customer_id": customer_id}):
            changes = [
                {"field": change["field"], "before": None, "after": None}
                for change in entry.get("changes", [])
            ]
            await self._audit.update_one({"_id": entry["_id"]}, {"$set": {"changes": changes}})
