"""Consumed events -> marketing actions: the one table of what this service listens to.

* customer events keep the local copy of customers that segments query;
* the tier event issues the automatic SVIP coupons (M-6);
* sales orders are attributed to campaigns for conversion and ROI (M-7);
* interactions move a customer's last activity forward (segment rules).

Each handler is a module-level function given the service's parts, so a unit test
calls it with parts of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from crm_chassis.events import EventHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_chassis.local_copies import Stamp
from crm_chassis.mongo import Document
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, sales
from crm_contracts.events.registry import parse_data
from marketing.components import Components, components
from marketing.domain.promotions import AUTO_ISSUE_TIER
from marketing.operations.issuing import issue_tier_coupons


def _profile(data: customer.CustomerCreated | customer.CustomerUpdated) -> Document:
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
        "language": data.language,
    }


async def customer_created(event: CloudEvent, parts: Components) -> None:
    data = parse_data(event)
    assert isinstance(data, customer.CustomerCreated)
    profile = {**_profile(data), "member_id": data.member_id, "created_at": data.created_at}
    await parts.customers.apply_profile(data.customer_id, Stamp(0, event.id), profile)
    await parts.customers.apply_tier(
        data.customer_id, Stamp(data.created_at, event.id), data.tier.lower()
    )


async def customer_updated(event: CloudEvent, parts: Components) -> None:
    data = parse_data(event)
    assert isinstance(data, customer.CustomerUpdated)
    await parts.customers.apply_profile(
        data.customer_id, Stamp(data.version, event.id), _profile(data)
    )


async def tier_changed(event: CloudEvent, parts: Components) -> None:
    """Keep the tier; a customer reaching SVIP gets the coupons of its promotions."""
    data = parse_data(event)
    assert isinstance(data, customer.CustomerTierChanged)
    await parts.customers.apply_tier(
        data.customer_id, Stamp(data.changed_at, event.id), data.tier.lower()
    )
    reached = data.tier.lower() == AUTO_ISSUE_TIER != data.previous_tier.lower()
    if reached:
        await issue_tier_coupons(
            parts.promotions, parts.coupons, data.customer_id, AUTO_ISSUE_TIER, data.changed_at
        )


async def consumption_changed(event: CloudEvent, parts: Components) -> None:
    data = parse_data(event)
    assert isinstance(data, customer.CustomerConsumptionChanged)
    await parts.customers.apply_consumption(
        data.customer_id,
        Stamp(event.time, event.id),
        data.total_consumption,
        data.last_consumption_at,
    )


async def customer_erased(event: CloudEvent, parts: Components) -> None:
    """Right to erasure: the copy becomes a tombstone, waiting messages are not sent, and
    no message, consent record or response keeps the customer's personal data."""
    data = parse_data(event)
    assert isinstance(data, customer.CustomerErased)
    await parts.customers.erase(data.customer_id, data.erased_at)
    await parts.deliveries.forget_recipient(data.customer_id)
    await parts.consent.forget_address(data.customer_id)
    await parts.responses.anonymise(data.customer_id)


async def interaction_recorded(event: CloudEvent, parts: Components) -> None:
    data = parse_data(event)
    assert isinstance(data, customer.InteractionRecorded)
    await parts.customers.record_activity(data.customer_id, data.occurred_at)


async def order_placed(event: CloudEvent, parts: Components) -> None:
    """Attribute the order: to the campaign it names, else to the last campaign
    message the customer was sent within the attribution window (last touch)."""
    data = parse_data(event)
    assert isinstance(data, sales.OrderPlaced)
    await parts.customers.record_activity(data.customer_id, data.placed_at)
    campaign_id, attribution = data.campaign_id, "explicit"
    if campaign_id is None or not await parts.campaigns.exists(campaign_id):
        window = timedelta(days=parts.settings.attribution_window_days)
        touch = await parts.deliveries.last_touch(
            data.customer_id, data.placed_at - window, data.placed_at
        )
        if touch is None:
            return
        campaign_id, attribution = touch["campaign_id"], "last_touch"
    recorded = await parts.conversions.record(
        data.order_id, campaign_id, data.customer_id, data.amount, data.placed_at, attribution
    )
    if recorded:
        await parts.campaigns.mark_metrics_dirty([campaign_id])


# The copy's writes are upserts guarded by version or time: a second run changes
# nothing. Coupons, erasure and attribution keep the ledger.
HANDLERS: HandlerTable[Components] = {
    customer.CustomerCreated.TYPE: Handles(customer_created, idempotent=True),
    customer.CustomerUpdated.TYPE: Handles(customer_updated, idempotent=True),
    customer.CustomerTierChanged.TYPE: Handles(tier_changed),
    customer.CustomerConsumptionChanged.TYPE: Handles(consumption_changed, idempotent=True),
    customer.CustomerErased.TYPE: Handles(customer_erased),
    customer.InteractionRecorded.TYPE: Handles(interaction_recorded, idempotent=True),
    sales.OrderPlaced.TYPE: Handles(order_placed),
}


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    return bind(HANDLERS, components(runtime))
