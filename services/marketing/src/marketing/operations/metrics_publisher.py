"""Campaign figures (M-7, A-4): counted on request, and published for analytics as
``campaign.metrics_updated``.

Writers only flag a campaign as changed (sender per batch, tracking, conversions);
the publisher recounts flagged campaigns every ``metrics_interval_seconds`` and stores
the snapshot with its event in one write, so analytics gets at most one snapshot
per campaign per interval, however many messages went out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from crm_chassis.background import PeriodicWork
from crm_chassis.clock import utc_now
from marketing.domain.metrics import CampaignCounts, metrics_updated
from marketing.store.campaigns import CampaignStore
from marketing.store.conversions import ConversionStore
from marketing.store.deliveries import DeliveryQueue


async def count_campaign(
    deliveries: DeliveryQueue, conversions: ConversionStore, campaign_id: str, audience: int
) -> CampaignCounts:
    """The campaign's figures now, from its messages and the orders attributed to it."""
    stages = await deliveries.campaign_counts(campaign_id)
    revenue, converted = await conversions.revenue(campaign_id)
    return CampaignCounts(
        audience=audience,
        **stages,
        delivered=stages["sent"],
        participants=stages["opened"],
        converted=converted,
        revenue=revenue,
    )


class MetricsPublisher:
    def __init__(
        self,
        campaigns: CampaignStore,
        deliveries: DeliveryQueue,
        conversions: ConversionStore,
        interval_seconds: float,
        notify_outbox: Callable[[], None],
    ) -> None:
        self._campaigns = campaigns
        self._deliveries = deliveries
        self._conversions = conversions
        self._notify_outbox = notify_outbox
        self._loop = PeriodicWork("marketing-metrics", self.publish_changed, interval_seconds)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def publish_changed(self) -> int:
        """Recount and publish every flagged campaign; returns how many."""
        flagged = await self._campaigns.dirty_campaigns()
        for campaign in flagged:
            audience = int((campaign.get("send") or {}).get("audience", 0))
            counts = await count_campaign(
                self._deliveries, self._conversions, campaign["_id"], audience
            )
            cost = Decimal(campaign.get("cost") or 0)
            now = utc_now()
            event = metrics_updated(campaign["_id"], campaign.get("name", ""), counts, cost, now)
            await self._campaigns.save_metrics(campaign, {**event.data, "as_of": now}, [event])
        if flagged:
            self._notify_outbox()
        return len(flagged)
