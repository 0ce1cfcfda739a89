"""Sequence numbers (order and invoice numbers) from atomically increased counters."""

from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from sales.store import collections as c


class CounterStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._counters = db[c.COUNTERS]

    async def next_value(self, name: str) -> int:
        counter = await self._counters.find_one_and_update(
            {"_id": name}, {"$inc": {"value": 1}}, upsert=True, return_document=ReturnDocument.AFTER
        )
        assert counter is not None
        return int(counter["value"])
