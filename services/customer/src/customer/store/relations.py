"""Stated relationships between customers (referrals, family, colleagues) for the network."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from customer.domain.network import Relation
from customer.store.schema import RELATIONS


class RelationStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._relations = db[RELATIONS]

    async def add(self, relation: Relation) -> None:
        """One relation per ordered pair and kind; stating it again updates its weight."""
        key = f"{relation.source_id}|{relation.target_id}|{relation.kind}"
        await self._relations.update_one(
            {"_id": key},
            {
                "$set": {
                    "source_id": relation.source_id,
                    "target_id": relation.target_id,
                    "kind": relation.kind,
                    "weight": relation.weight,
                }
            },
            upsert=True,
        )

    async def all(self) -> list[Relation]:
        documents = await self._relations.find(projection={"_id": 0}).to_list()
        return [Relation(**document) for document in documents]

    async def repoint(self, from_id: str, to_id: str) -> None:
        for field in ("source_id", "target_id"):
            await self._relations.update_many({field: from_id}, {"$set": {field: to_id}})
