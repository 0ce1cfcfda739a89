"""Consumed events mapped to sales actions: the service's one subscription table.

Customer events keep sales' small customer copy current; the gateway's user
directory keeps the roster of reps; a marketing campaign response becomes a lead.
Every handler is safe to run twice for the same event. Handlers are plain functions
given the service's parts, so a test can call one with the parts it builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crm_chassis.events import EventHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, gateway, marketing
from crm_contracts.events.sales import ProspectDetails
from sales.components import Components, components
from sales.domain.leads import LeadDraft
from sales.domain.routing import directory_entry
from sales.operations import leads as lead_ops

# Interest stated in a campaign response counts as a medium expressed interest (1-5).
CAMPAIGN_INTEREST_LEVEL = 3


def _copy_fields(data: customer.CustomerCreated | customer.CustomerUpdated) -> dict[str, Any]:
    return {
        "name": data.name,
        "company": data.company,
        "industry": data.industry,
        "region": data.region,
        "owner_id": data.owner_id,
        "team": data.team,
        "language": data.language,
    }


async def customer_created(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerCreated.model_validate(event.data)
    await parts.customers.created(data.customer_id, _copy_fields(data), data.tier, event.id)


async def customer_updated(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerUpdated.model_validate(event.data)
    await parts.customers.updated(data.customer_id, data.version, _copy_fields(data), event.id)


async def tier_changed(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerTierChanged.model_validate(event.data)
    await parts.customers.tier_changed(data.customer_id, data.tier, data.changed_at, event.id)


async def customers_merged(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomersMerged.model_validate(event.data)
    await parts.customers.merged(data.surviving_id, data.merged_id)


async def customer_erased(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerErased.model_validate(event.data)
    await parts.customers.erased(data.customer_id, data.erased_at)


async def user_changed(event: CloudEvent, parts: Components) -> None:
    """Keep the person's place on the roster of reps, if the entry is newer than the
    one last applied: sellers (sales_rep, sales_manager) are active reps, anyone else
    who was one an inactive rep."""
    data = gateway.UserChanged.model_validate(event.data)
    entry = directory_entry(
        display_name=data.display_name,
        email=data.email,
        roles=data.roles,
        team=data.team,
        active=data.active,
    )
    await parts.routing.apply_directory(data.user_id, entry, data.version, event.id)


async def campaign_responded(event: CloudEvent, parts: Components) -> None:
    data = marketing.CampaignResponded.model_validate(event.data)
    draft = LeadDraft(
        source_channel="campaign",
        prospect=ProspectDetails(
            name=data.name,
            email=data.email,
            phone=data.phone,
            company=data.company,
            industry=data.industry,
            region=data.region,
        ),
        interest_level=CAMPAIGN_INTEREST_LEVEL if data.interest else None,
        campaign_id=data.campaign_id,
        customer_id=data.customer_id,
    )
    # The lead id is derived from the response, so a redelivery finds the lead stored.
    await lead_ops.capture(parts, draft, lead_id=f"campaign-response-{data.response_id}")


# The customer copy's and the roster's writes are version- or time-guarded: a second run
# changes nothing, so those handlers need no ledger of processed events.
HANDLERS: HandlerTable[Components] = {
    customer.CustomerCreated.TYPE: Handles(customer_created, idempotent=True),
    customer.CustomerUpdated.TYPE: Handles(customer_updated, idempotent=True),
    customer.CustomerTierChanged.TYPE: Handles(tier_changed, idempotent=True),
    customer.CustomersMerged.TYPE: Handles(customers_merged),
    customer.CustomerErased.TYPE: Handles(customer_erased),
    gateway.UserChanged.TYPE: Handles(user_changed, idempotent=True),
    marketing.CampaignResponded.TYPE: Handles(campaign_responded),
}


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    return bind(HANDLERS, components(runtime))
