"""Generic document operations shared by the aggregate stores: versioned writes, pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.errors import NotFound, PreconditionFailed
from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.envelope import CloudEvent

HIDDEN_FIELDS = {
    "_outbox": 0,
    "_outbox_since": 0,
    "_outbox_lease_owner": 0,
    "_outbox_lease_until": 0,
}


async def insert(
    collection: AsyncCollection[Document],
    document: Mapping[str, Any],
    events: Sequence[CloudEvent] = (),
) -> None:
    await collection.insert_one(with_outbox(document, events))


async def get(collection: AsyncCollection[Document], document_id: str, what: str) -> Document:
    found = await collection.find_one({"_id": document_id}, HIDDEN_FIELDS)
    if found is None:
        raise NotFound(f"No {what} {document_id}.")
    return found


async def update_versioned(
    collection: AsyncCollection[Document],
    document_id: str,
    expected_version: int | None,
    update: Mapping[str, Any],
    what: str,
    events: Sequence[CloudEvent] = (),
    condition: Mapping[str, Any] | None = None,
) -> Document:
    """Apply ``update`` if the document still has ``expected_version`` (None: any);
    bump the version; 412 when it changed meanwhile, 404 when it does not exist."""
    query: dict[str, Any] = {"_id": document_id, **(condition or {})}
    if expected_version is not None:
        query["version"] = expected_version
    full = {op: dict(fields) for op, fields in update.items()}
    full.setdefault("$inc", {})["version"] = 1
    updated = await collection.find_one_and_update(
        query,
        add_outbox(full, events),
        projection=HIDDEN_FIELDS,
        return_document=ReturnDocument.AFTER,
    )
    if updated is None:
        current = await get(collection, document_id, what)
        if expected_version is not None and current.get("version") != expected_version:
            raise PreconditionFailed(
                f"The {what} changed meanwhile (now version {current.get('version')})."
            )
        raise PreconditionFailed(f"The {what} changed meanwhile; read it again.")
    return updated


async def page(
    collection: AsyncCollection[Document],
    query: Mapping[str, Any],
    sort: SortSpec,
    params: PageParams,
) -> tuple[list[Document], int]:
    total = await collection.count_documents(query)
    cursor = (
        collection.find(query, HIDDEN_FIELDS).sort(sort).skip(params.offset).limit(params.limit)
    )
    return await cursor.to_list(length=params.limit), total
