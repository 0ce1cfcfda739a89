"""Administrative records kept as whole documents with a version: SLA policies,
business calendars, routing rules and agents."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from support.store.documents import from_document, to_document

R = TypeVar("R", bound=BaseModel)


class Versioned(BaseModel, Generic[R]):
    """A stored record with its version (the ETag of its resource)."""

    record: R
    version: int


class RecordStore(Generic[R]):
    def __init__(self, db: AsyncDatabase[Document], collection: str, model: type[R]) -> None:
        self._collection = db[collection]
        self._model = model

    def _versioned(self, document: Document) -> Versioned[R]:
        return Versioned[R](
            record=from_document(self._model, document), version=document["version"]
        )

    async def insert(self, record: R) -> Versioned[R]:
        await self._collection.insert_one({**to_document(record), "version": 1})
        return Versioned[R](record=record, version=1)

    async def get(self, record_id: str) -> Versioned[R] | None:
        document = await self._collection.find_one({"_id": record_id})
        return self._versioned(document) if document else None

    async def all(self, query: dict[str, Any] | None = None) -> list[R]:
        cursor = self._collection.find(query or {}, sort=[("_id", 1)])
        return [from_document(self._model, d) async for d in cursor]

    async def all_versioned(self) -> list[Versioned[R]]:
        return [self._versioned(d) async for d in self._collection.find({}, sort=[("_id", 1)])]

    async def page(
        self, query: dict[str, Any], sort: SortSpec, page: PageParams
    ) -> tuple[list[Versioned[R]], int]:
        total = await self._collection.count_documents(query)
        cursor = self._collection.find(query, sort=sort, skip=page.offset, limit=page.limit)
        return [self._versioned(d) async for d in cursor], total

    async def replace(self, record: R, expected_version: int | None) -> Versioned[R] | None:
        """Store the new state if the version still matches (any version when None)."""
        state = to_document(record)
        condition: dict[str, Any] = {"_id": state["_id"]}
        if expected_version is not None:
            condition["version"] = expected_version
        document = await self._collection.find_one_and_update(
            condition,
            {"$set": {k: v for k, v in state.items() if k != "_id"}, "$inc": {"version": 1}},
            return_document=True,
        )
        return self._versioned(document) if document else None

    async def delete(self, record_id: str, expected_version: int | None) -> bool:
        condition: dict[str, Any] = {"_id": record_id}
        if expected_version is not None:
            condition["version"] = expected_version
        result = await self._collection.delete_one(condition)
        return result.deleted_count == 1
