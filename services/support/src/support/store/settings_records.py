"""Administrative records kept as whole documents with a version: SLA policies,
business calendars, routing rules and agents.

The records' models are also their request bodies (they refuse unknown fields), so the
version is kept beside the record (:class:`Versioned`) rather than in it; the chassis
store saves and versions the pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.domain_errors import VersionConflict
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore

R = TypeVar("R", bound=BaseModel)


class Versioned(BaseModel, Generic[R]):
    """A stored record with its version (the ETag of its resource)."""

    record: R
    version: int


class RecordCodec(Generic[R]):
    """The record's fields and ``version`` side by side in one document."""

    def __init__(self, model: type[R]) -> None:
        self._record = ModelCodec(model, "id")

    def to_document(self, aggregate: Versioned[R]) -> Document:
        return {**self._record.to_document(aggregate.record), "version": aggregate.version}

    def from_document(self, document: Mapping[str, Any]) -> Versioned[R]:
        fields = {key: value for key, value in document.items() if key != "version"}
        return Versioned[R](record=self._record.from_document(fields), version=document["version"])


class RecordStore(VersionedStore[Versioned[R]], Generic[R]):
    def __init__(self, db: AsyncDatabase[Document], collection: str, model: type[R]) -> None:
        super().__init__(db[collection], RecordCodec(model))

    async def require(self, aggregate_id: str, message: str = "") -> Versioned[R]:
        return await super().require(aggregate_id, message or f"No record {aggregate_id}.")

    async def create(self, record: R) -> Versioned[R]:
        """Store a new record at version 1 (a taken unique name is a ``DuplicateValue``)."""
        stored = Versioned[R](record=record, version=1)
        await self.insert(stored)
        return stored

    async def all(self, query: dict[str, Any] | None = None) -> list[R]:
        return [item.record for item in await self.all_versioned(query)]

    async def all_versioned(self, query: dict[str, Any] | None = None) -> list[Versioned[R]]:
        return await self.find(query or {}, sort=[("_id", 1)])

    async def replace(
        self, record_id: str, record: R, expected_version: int | None
    ) -> Versioned[R]:
        """Store the new state if the version still matches (any version when None)."""

        def change(current: Versioned[R]) -> tuple[Versioned[R], tuple[()]]:
            if expected_version is not None and current.version != expected_version:
                raise VersionConflict(record_id)
            return Versioned[R](record=record, version=current.version), ()

        return await self.update(record_id, change)

    async def delete_at(
        self, aggregate_id: str, expected_version: int | None, missing: str = ""
    ) -> None:
        await super().delete_at(
            aggregate_id, expected_version, missing or f"No record {aggregate_id}."
        )
