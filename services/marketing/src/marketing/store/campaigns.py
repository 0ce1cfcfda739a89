"""Campaign documents: plan, lifecycle, send snapshot and the latest metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.clock import utc_now
from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.envelope import CloudEvent
from marketing.store import CAMPAIGNS, documents

WHAT = "campaign"


async def insert(
    db: AsyncDatabase[Document], document: Document, events: Sequence[CloudEvent]
) -> None:
    await documents.insert(db[CAMPAIGNS], document, events)


async def get(db: AsyncDatabase[Document], campaign_id: str) -> Document:
    return await documents.get(db[CAMPAIGNS], campaign_id, WHAT)


async def update(
    db: AsyncDatabase[Document],
    campaign_id: str,
    expected_version: int | None,
    update: Mapping[str, Any],
    events: Sequence[CloudEvent] = (),
    condition: Mapping[str, Any] | None = None,
) -> Document:
    return await documents.update_versioned(
        db[CAMPAIGNS], campaign_id, expected_version, update, WHAT, events, condition
    )


async def page(
    db: AsyncDatabase[Document], query: Mapping[str, Any], sort: SortSpec, params: PageParams
) -> tuple[list[Document], int]:
    return await documents.page(db[CAMPAIGNS], query, sort, params)


async def find(db: AsyncDatabase[Document], campaign_id: str) -> Document | None:
    return await db[CAMPAIGNS].find_one({"_id": campaign_id}, documents.HIDDEN_FIELDS)


async def exists(db: AsyncDatabase[Document], campaign_id: str) -> bool:
    return await db[CAMPAIGNS].count_documents({"_id": campaign_id}, limit=1) > 0


async def mark_metrics_dirty(db: AsyncDatabase[Document], campaign_ids: Sequence[str]) -> None:
    """Flag campaigns whose figures changed; the metrics publisher recomputes them."""
    if campaign_ids:
        await db[CAMPAIGNS].update_many(
            {"_id": {"$in": list(set(campaign_ids))}},
            {"$set": {"metrics_dirty": True, "metrics_changed_at": utc_now()}},
        )


async def dirty_campaigns(db: AsyncDatabase[Document], limit: int = 100) -> list[Document]:
    cursor = (
        db[CAMPAIGNS]
        .find({"metrics_dirty": True}, {"name": 1, "cost": 1, "metrics_changed_at": 1, "send": 1})
        .limit(limit)
    )
    return await cursor.to_list(length=limit)


async def save_metrics(
    db: AsyncDatabase[Document],
    campaign: Document,
    snapshot: Document,
    events: Sequence[CloudEvent],
) -> None:
    """Store a metrics snapshot with its event; the flag is cleared only if nothing changed
    since the snapshot's figures were counted (otherwise it stays dirty for the next pass)."""
    await db[CAMPAIGNS].update_one(
        {"_id": campaign["_id"]}, add_outbox({"$set": {"metrics": snapshot}}, events)
    )
    await db[CAMPAIGNS].update_one(
        {"_id": campaign["_id"], "metrics_changed_at": campaign.get("metrics_changed_at")},
        {"$unset": {"metrics_dirty": ""}},
    )
