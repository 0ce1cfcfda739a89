"""Segment documents and audience queries over the customer projection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.local_copies import LIVE, live
from crm_chassis.mongo import Document
from crm_chassis.pagination import PageParams, SortSpec
from marketing.domain.segments import SegmentKind, SegmentRules, activity_bounds
from marketing.store import CUSTOMERS, SEGMENTS, documents

WHAT = "segment"


async def insert(db: AsyncDatabase[Document], document: Document) -> None:
    await documents.insert(db[SEGMENTS], document)


async def get(db: AsyncDatabase[Document], segment_id: str) -> Document:
    return await documents.get(db[SEGMENTS], segment_id, WHAT)


async def update(
    db: AsyncDatabase[Document],
    segment_id: str,
    expected_version: int | None,
    update: Mapping[str, Any],
) -> Document:
    return await documents.update_versioned(
        db[SEGMENTS], segment_id, expected_version, update, WHAT
    )


async def delete(db: AsyncDatabase[Document], segment_id: str) -> bool:
    result = await db[SEGMENTS].delete_one({"_id": segment_id})
    return result.deleted_count == 1


async def page(
    db: AsyncDatabase[Document], query: Mapping[str, Any], sort: SortSpec, params: PageParams
) -> tuple[list[Document], int]:
    return await documents.page(db[SEGMENTS], query, sort, params)


def rules_query(rules: SegmentRules, now: datetime) -> dict[str, Any]:
    """The projection query meaning the same as :func:`marketing.domain.segments.matches`."""
    clauses: list[dict[str, Any]] = [dict(LIVE)]
    for field, values in (
        ("tier", rules.tiers),
        ("region", rules.regions),
        ("industry", rules.industries),
        ("company_size", rules.company_sizes),
    ):
        if values:
            clauses.append({field: {"$in": sorted(values)}})
    if rules.tags_any:
        clauses.append({"tags": {"$in": sorted(rules.tags_any)}})
    if rules.tags_all:
        clauses.append({"tags": {"$all": sorted(rules.tags_all)}})
    if rules.min_consumption is not None:
        clauses.append({"total_consumption": {"$gte": rules.min_consumption}})
    if rules.max_consumption is not None:
        clauses.append({"total_consumption": {"$lte": rules.max_consumption}})
    since, before = activity_bounds(rules, now)
    if since is not None:
        clauses.append({"last_activity_at": {"$gte": since}})
    if before is not None:
        clauses.append({"$or": [{"last_activity_at": {"$lt": before}}, {"last_activity_at": None}]})
    return {"$and": clauses}


def audience_query(
    kind: SegmentKind, rules: SegmentRules, members: Sequence[str], now: datetime
) -> dict[str, Any]:
    if kind is SegmentKind.STATIC:
        return live({"_id": {"$in": list(members)}})
    return rules_query(rules, now)


async def count_audience(db: AsyncDatabase[Document], query: Mapping[str, Any]) -> int:
    return await db[CUSTOMERS].count_documents(query)


async def sample_audience(
    db: AsyncDatabase[Document], query: Mapping[str, Any], limit: int
) -> list[Document]:
    cursor = db[CUSTOMERS].find(query).sort([("_id", 1)]).limit(limit)
    return await cursor.to_list(length=limit)


async def iterate_audience(
    db: AsyncDatabase[Document], query: Mapping[str, Any], batch_size: int = 1000
) -> AsyncIterator[list[Document]]:
    """The audience in chunks, for queueing a campaign send."""
    chunk: list[Document] = []
    async for customer in db[CUSTOMERS].find(query).sort([("_id", 1)]).batch_size(batch_size):
        chunk.append(customer)
        if len(chunk) >= batch_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
