"""Trained win models (coefficients and report; no pickles, so nothing executable is stored)."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from sales.domain.win_model import WinModel
from sales.store import collections as c
from sales.store.documents import from_document, to_document

KEEP = 20


class WinModelStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._models = db[c.WIN_MODELS]

    async def add(self, model: WinModel) -> None:
        await self._models.insert_one(to_document(model, "model_id"))
        old = self._models.find({}, {"_id": 1}).sort("trained_at", -1).skip(KEEP)
        stale = [doc["_id"] async for doc in old]
        if stale:
            await self._models.delete_many({"_id": {"$in": stale}})

    async def latest(self) -> WinModel | None:
        document = await self._models.find_one({}, sort=[("trained_at", -1)])
        return None if document is None else from_document(WinModel, document, "model_id")
