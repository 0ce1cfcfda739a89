"""Mapping between domain models and stored documents (``id`` <-> ``_id``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec

M = TypeVar("M", bound=BaseModel)


def to_document(model: BaseModel) -> Document:
    document = model.model_dump()
    document["_id"] = document.pop("id")
    return document


def from_document(model: type[M], document: Mapping[str, Any]) -> M:
    """The domain model of a stored document; storage-only fields (outbox, version) are
    dropped, also for models that refuse unknown fields in a request body."""
    fields = {k: v for k, v in document.items() if not k.startswith("_")}
    return model.model_validate({**fields, "id": document["_id"]}, extra="ignore")


async def find_page(
    collection: AsyncCollection[Document],
    model: type[M],
    query: Mapping[str, Any],
    sort: SortSpec,
    page: PageParams,
) -> tuple[list[M], int]:
    """One page of ``query`` as domain models, with the total count of matches."""
    total = await collection.count_documents(dict(query))
    cursor = collection.find(dict(query), sort=sort, skip=page.offset, limit=page.limit)
    return [from_document(model, d) async for d in cursor], total
