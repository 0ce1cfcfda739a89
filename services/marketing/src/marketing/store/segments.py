"""Segments (versioned aggregates on the chassis store) and the audience queries they
make over the local copy of customers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.local_copies import LIVE, live
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from marketing.domain.segments import Segment, SegmentKind, SegmentRules, activity_bounds
from marketing.store import SEGMENTS


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


class SegmentStore(VersionedStore[Segment]):
    def __init__(
        self, db: AsyncDatabase[Document], notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[SEGMENTS], ModelCodec(Segment, "id"), notify=notify)

    async def require(self, aggregate_id: str, message: str = "") -> Segment:
        return await super().require(aggregate_id, message or f"No segment {aggregate_id}.")
