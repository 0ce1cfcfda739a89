"""Mapping between domain models and stored documents, and a versioned aggregate store.

Aggregates are saved with ``$set`` conditioned on their version, never replaced,
so the pending events the outbox keeps inside the same document survive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.domain_errors import VersionConflict
from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.mongo import Document
from crm_contracts.events.registry import EventData, to_cloud_event

M = TypeVar("M", bound=BaseModel)


def bson_value(value: Any) -> Any:
    """A value BSON can store: enums by value, calendar dates as ISO strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): bson_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [bson_value(item) for item in value]
    return value


def to_document(model: BaseModel, id_field: str) -> Document:
    data: Document = bson_value(model.model_dump(mode="python"))
    data["_id"] = data.pop(id_field)
    return data


def from_document(model: type[M], document: Mapping[str, Any], id_field: str) -> M:
    data = {key: value for key, value in document.items() if not key.startswith("_")}
    data[id_field] = document["_id"]
    return model.model_validate(data)


def cloud_events(events: Sequence[EventData], subject: str) -> list[Any]:
    return [to_cloud_event(event, subject=subject) for event in events]


class AggregateStore(Generic[M]):
    """Load and save one kind of aggregate; saving checks and bumps ``version``."""

    def __init__(
        self, collection: AsyncCollection[Document], model: type[M], id_field: str
    ) -> None:
        self.collection = collection
        self.model = model
        self.id_field = id_field

    async def get(self, aggregate_id: str) -> M | None:
        document = await self.collection.find_one({"_id": aggregate_id}, {"_outbox": 0})
        return None if document is None else from_document(self.model, document, self.id_field)

    async def find(
        self,
        query: Mapping[str, Any],
        *,
        sort: Sequence[tuple[str, int]] | None = None,
        offset: int = 0,
        limit: int = 0,
    ) -> list[M]:
        cursor = self.collection.find(dict(query), {"_outbox": 0}, skip=offset, limit=limit)
        if sort:
            cursor = cursor.sort(list(sort))
        return [from_document(self.model, doc, self.id_field) async for doc in cursor]

    async def count(self, query: Mapping[str, Any]) -> int:
        return await self.collection.count_documents(dict(query))

    async def insert(self, aggregate: M, events: Sequence[EventData] = ()) -> None:
        document = to_document(aggregate, self.id_field)
        await self.collection.insert_one(
            with_outbox(document, cloud_events(events, document["_id"]))
        )

    async def save(
        self,
        aggregate: M,
        expected_version: int,
        events: Sequence[EventData] = (),
        extra_filter: Mapping[str, Any] | None = None,
    ) -> M:
        """Write the aggregate's new state if nobody changed it since ``expected_version``."""
        document = to_document(aggregate, self.id_field)
        aggregate_id = document.pop("_id")
        document["version"] = expected_version + 1
        update = add_outbox({"$set": document}, cloud_events(events, aggregate_id))
        query = {"_id": aggregate_id, "version": expected_version, **(extra_filter or {})}
        saved = await self.collection.find_one_and_update(
            query, update, projection={"_outbox": 0}, return_document=ReturnDocument.AFTER
        )
        if saved is None:
            raise VersionConflict(aggregate_id)
        return from_document(self.model, saved, self.id_field)


class TemplateStore(AggregateStore[M]):
    """Unversioned documents replaced whole (definitions without an outbox)."""

    async def put(self, item: M) -> None:
        document = to_document(item, self.id_field)
        await self.collection.replace_one({"_id": document["_id"]}, document, upsert=True)

    async def delete(self, item_id: str) -> bool:
        result = await self.collection.delete_one({"_id": item_id})
        return result.deleted_count == 1
