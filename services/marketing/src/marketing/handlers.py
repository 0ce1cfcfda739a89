"""Consumed events -> marketing actions: the one table of what this service listens to.

* customer events keep the local customer projection that segments query;
* the tier event issues the automatic SVIP coupons (M-6);
* sales orders are attributed to campaigns for conversion and ROI (M-7);
* interactions move a customer's last activity forward (segment rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from crm_chassis.events import EventHandler, idempotent
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, sales
from crm_contracts.events.registry import parse_data
from marketing.domain.promotions import AUTO_ISSUE_TIER
from marketing.operations.issuing import issue_tier_coupons
from marketing.settings import Settings
from marketing.store import campaigns, conversions, customers, deliveries


def _profile(data: customer.CustomerCreated | customer.CustomerUpdated) -> dict[str, object]:
    return {
        "name": data.name,
        "email": data.email.strip().lower() if data.email else None,
        "company": data.company,
        "industry": data.industry,
        "company_size": data.company_size,
        "region": data.region,
        "owner_id": data.owner_id,
        "team": data.team,
        "tags": sorted(set(data.tags)),
    }


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    db = runtime.db
    settings = runtime.settings
    assert isinstance(settings, Settings)

    async def on_customer_created(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, customer.CustomerCreated)
        profile = {**_profile(data), "member_id": data.member_id, "created_at": data.created_at}
        await customers.apply_created(
            db, data.customer_id, profile, data.tier.lower(), data.created_at
        )

    async def on_customer_updated(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, customer.CustomerUpdated)
        await customers.apply_profile(db, data.customer_id, data.version, _profile(data))

    async def on_tier_changed(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, customer.CustomerTierChanged)
        await customers.apply_tier(db, data.customer_id, data.tier.lower(), data.changed_at)
        reached = data.tier.lower() == AUTO_ISSUE_TIER != data.previous_tier.lower()
        if reached and await issue_tier_coupons(
            db, data.customer_id, AUTO_ISSUE_TIER, data.changed_at
        ):
            runtime.notify_outbox()

    async def on_consumption_changed(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, customer.CustomerConsumptionChanged)
        await customers.apply_consumption(
            db, data.customer_id, data.total_consumption, data.last_consumption_at, event.time
        )

    async def on_customer_erased(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, customer.CustomerErased)
        await customers.erase(db, data.customer_id, data.erased_at)

    async def on_interaction(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, customer.InteractionRecorded)
        await customers.record_activity(db, data.customer_id, data.occurred_at)

    async def on_order_placed(event: CloudEvent) -> None:
        """Attribute the order: to the campaign it names, else to the last campaign
        message the customer was sent within the attribution window (last touch)."""
        data = parse_data(event)
        assert isinstance(data, sales.OrderPlaced)
        await customers.record_activity(db, data.customer_id, data.placed_at)
        campaign_id, attribution = data.campaign_id, "explicit"
        if campaign_id is None or not await campaigns.exists(db, campaign_id):
            window = timedelta(days=settings.attribution_window_days)
            touch = await deliveries.last_touch(
                db, data.customer_id, data.placed_at - window, data.placed_at
            )
            if touch is None:
                return
            campaign_id, attribution = touch["campaign_id"], "last_touch"
        recorded = await conversions.record_conversion(
            db,
            data.order_id,
            campaign_id,
            data.customer_id,
            data.amount,
            data.placed_at,
            attribution,
        )
        if recorded:
            await campaigns.mark_metrics_dirty(db, [campaign_id])

    # The projection's writes are upserts guarded by version or time: a second run
    # changes nothing. Coupons, erasure and attribution keep the ledger.
    return {
        customer.CustomerCreated.TYPE: idempotent(on_customer_created),
        customer.CustomerUpdated.TYPE: idempotent(on_customer_updated),
        customer.CustomerTierChanged.TYPE: on_tier_changed,
        customer.CustomerConsumptionChanged.TYPE: idempotent(on_consumption_changed),
        customer.CustomerErased.TYPE: on_customer_erased,
        customer.InteractionRecorded.TYPE: idempotent(on_interaction),
        sales.OrderPlaced.TYPE: on_order_placed,
    }
