"""Campaign responses (form sign-ups, replies): each one is handed to sales as a lead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.envelope import CloudEvent
from marketing.store import RESPONSES, documents


async def insert(
    db: AsyncDatabase[Document], document: Document, events: Sequence[CloudEvent]
) -> None:
    await documents.insert(db[RESPONSES], document, events)


async def page(
    db: AsyncDatabase[Document], query: Mapping[str, Any], sort: SortSpec, params: PageParams
) -> tuple[list[Document], int]:
    return await documents.page(db[RESPONSES], query, sort, params)
