"""Campaigns: versioned aggregates on the chassis store, plus the flags and snapshot of
their published metrics, which are written beside the aggregate and never bump its
version."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.clock import utc_now
from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from crm_contracts.envelope import CloudEvent
from marketing.domain.campaigns import Campaign
from marketing.store import CAMPAIGNS


class CampaignStore(VersionedStore[Campaign]):
    def __init__(
        self, db: AsyncDatabase[Document], notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[CAMPAIGNS], ModelCodec(Campaign, "id"), notify=notify)

    async def require(self, aggregate_id: str, message: str = "") -> Campaign:
        return await super().require(aggregate_id, message or f"No campaign {aggregate_id}.")

    async def exists(self, campaign_id: str) -> bool:
        return await self.collection.count_documents({"_id": campaign_id}, limit=1) > 0

    async def mark_metrics_dirty(self, campaign_ids: Sequence[str]) -> None:
        """Flag campaigns whose figures changed; the metrics publisher recomputes them."""
        if campaign_ids:
            await self.collection.update_many(
                {"_id": {"$in": list(set(campaign_ids))}},
                {"$set": {"metrics_dirty": True, "metrics_changed_at": utc_now()}},
            )

    async def dirty_campaigns(self, limit: int = 100) -> list[Document]:
        cursor = self.collection.find(
            {"metrics_dirty": True}, {"name": 1, "cost": 1, "metrics_changed_at": 1, "send": 1}
        ).limit(limit)
        return await cursor.to_list(length=limit)

    async def save_metrics(
        self, campaign: Document, snapshot: Document, events: Sequence[CloudEvent]
    ) -> None:
        """Store a metrics snapshot with its event; the flag is cleared only if nothing
        changed since the snapshot's figures were counted (otherwise it stays dirty for
        the next pass)."""
        await self.collection.update_one(
            {"_id": campaign["_id"]}, add_outbox({"$set": {"metrics": snapshot}}, events)
        )
        await self.collection.update_one(
            {"_id": campaign["_id"], "metrics_changed_at": campaign.get("metrics_changed_at")},
            {"$unset": {"metrics_dirty": ""}},
        )
