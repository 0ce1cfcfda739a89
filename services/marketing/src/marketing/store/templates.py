"""Email template documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from marketing.store import TEMPLATES, documents

WHAT = "email template"


async def insert(db: AsyncDatabase[Document], document: Document) -> None:
    await documents.insert(db[TEMPLATES], document)


async def get(db: AsyncDatabase[Document], template_id: str) -> Document:
    return await documents.get(db[TEMPLATES], template_id, WHAT)


async def update(
    db: AsyncDatabase[Document],
    template_id: str,
    expected_version: int | None,
    update: Mapping[str, Any],
) -> Document:
    return await documents.update_versioned(
        db[TEMPLATES], template_id, expected_version, update, WHAT
    )


async def delete(db: AsyncDatabase[Document], template_id: str) -> bool:
    result = await db[TEMPLATES].delete_one({"_id": template_id})
    return result.deleted_count == 1


async def page(
    db: AsyncDatabase[Document], query: Mapping[str, Any], sort: SortSpec, params: PageParams
) -> tuple[list[Document], int]:
    return await documents.page(db[TEMPLATES], query, sort, params)
