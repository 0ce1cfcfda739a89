"""Publishes campaign figures for analytics (M-7, A-4) as ``campaign.metrics_updated``.

Writers only flag a campaign as changed (sender per batch, tracking, conversions);
this loop recounts flagged campaigns every ``metrics_interval_seconds`` and stores
the snapshot with its event in one write, so analytics gets at most one snapshot
per campaign per interval, however many messages went out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.background import PeriodicWork
from crm_chassis.clock import utc_now
from crm_chassis.mongo import Document
from marketing.domain.metrics import CampaignCounts, metrics_updated
from marketing.store import campaigns, conversions


async def count_campaign(db: AsyncDatabase[Document], campaign: Document) -> CampaignCounts:
    audience = int((campaign.get("send") or {}).get("audience", 0))
    return await conversions.campaign_counts(db, campaign["_id"], audience)


class MetricsPublisher:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        interval_seconds: float,
        notify_outbox: Callable[[], None],
    ) -> None:
        self._db = db
        self._notify_outbox = notify_outbox
        self._loop = PeriodicWork("marketing-metrics", self.publish_changed, interval_seconds)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def publish_changed(self) -> int:
        """Recount and publish every flagged campaign; returns how many."""
        flagged = await campaigns.dirty_campaigns(self._db)
        for campaign in flagged:
            counts = await count_campaign(self._db, campaign)
            cost = Decimal(campaign.get("cost") or 0)
            now = utc_now()
            event = metrics_updated(campaign["_id"], campaign.get("name", ""), counts, cost, now)
            await campaigns.save_metrics(self._db, campaign, {**event.data, "as_of": now}, [event])
        if flagged:
            self._notify_outbox()
        return len(flagged)
