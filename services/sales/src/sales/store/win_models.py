"""Trained win models (coefficients and report; no pickles, so nothing executable is stored)."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec
from sales.domain.win_model import WinModel
from sales.store import collections as c

KEEP = 20
_MODELS = ModelCodec(WinModel, "model_id")


class WinModelStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._models = db[c.WIN_MODELS]

    async def add(self, model: WinModel) -> None:
        await self._models.insert_one(_MODELS.to_document(model))
        old = self._models.find({}, {"_id": 1}).sort("trained_at", -1).skip(KEEP)
        stale = [doc["_id"] async for doc in old]
        if stale:
            await self._models.delete_many({"_id": {"$in": stale}})

    async def latest(self) -> WinModel | None:
        document = await self._models.find_one({}, sort=[("trained_at", -1)])
        return None if document is None else _MODELS.from_document(document)
