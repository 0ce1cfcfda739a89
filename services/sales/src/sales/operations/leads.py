"""Lead use cases: capture from any channel, rescoring, routing, status, conversion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pymongo.errors import DuplicateKeyError

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from sales.components import Components
from sales.domain.leads import (
    Conversion,
    Lead,
    LeadDraft,
    LeadStatus,
    assign_lead,
    capture_lead,
    change_status,
    complete_conversion,
    rescore,
    start_conversion,
)
from sales.domain.opportunities import Opportunity, open_opportunity
from sales.domain.pipelines import DEFAULT_PIPELINE_ID
from sales.domain.routing import LeadFacts
from sales.operations.ids import new_id
from sales.operations.routing import Routed, release, route_lead


class ConversionRequest(BaseModel):
    opportunity_name: str | None = None
    amount: Decimal = Decimal("0.00")
    currency: str = "CNY"
    pipeline_id: str = DEFAULT_PIPELINE_ID
    stage: str | None = None
    expected_close: date | None = None


def _facts(lead: Lead) -> LeadFacts:
    return LeadFacts(
        region=lead.prospect.region,
        industry=lead.prospect.industry,
        product=lead.product,
        score=lead.score,
    )


async def capture(
    parts: Components,
    draft: LeadDraft,
    *,
    lead_id: str | None = None,
    keeper: Routed | None = None,
) -> Lead:
    """Score, filter and route a new lead and store it with its events in one write.

    With ``lead_id`` given (an id derived from the source, e.g. a campaign response)
    a repeated capture returns the lead already stored instead of a second one. With
    ``keeper`` (a rep entering a lead they found themselves) the lead goes to that
    rep instead of through the rule table.
    """
    now = utc_now()
    lead = Lead(lead_id=lead_id or new_id(), created_at=now, updated_at=now, **draft.model_dump())
    if lead_id is not None and (existing := await parts.leads.get(lead_id)) is not None:
        return existing
    lead, events = capture_lead(lead, *await parts.config.lead_rules())
    routed = None
    if lead.is_open and keeper is not None:
        await parts.routing.add_load(keeper.owner_id, "leads", 1)
        routed = keeper
    elif lead.is_open:
        routed = await route_lead(parts, _facts(lead))
    if routed is not None:
        lead, assigned = assign_lead(
            lead, owner_id=routed.owner_id, team=routed.team, rule=routed.rule, now=now
        )
        events += assigned
    try:
        await parts.leads.insert(lead, events)
    except DuplicateKeyError:
        await release(parts, lead.owner_id)
        stored = await parts.leads.get(lead.lead_id)
        assert stored is not None
        return stored
    return lead


async def apply_changes(
    parts: Components, lead: Lead, changes: dict[str, Any], expected_version: int
) -> Lead:
    """Edit a lead's inputs and rescore it when anything scored changed."""
    if lead.status is LeadStatus.CONVERTED:
        raise InvalidTransition("A converted lead cannot be edited.")
    prospect = lead.prospect.model_copy(update=changes.pop("prospect", {}))
    status = changes.pop("status", None)
    reason = changes.pop("disqualified_reason", None)
    updated = lead.model_copy(update={**changes, "prospect": prospect, "updated_at": utc_now()})
    if status is not None:
        updated = change_status(updated, LeadStatus(status), reason)
    updated = rescore(updated, await parts.config.scoring())
    saved = await parts.leads.save(updated, expected_version)
    if lead.is_open and not saved.is_open:
        await release(parts, saved.owner_id)
    elif saved.is_open and not lead.is_open and saved.owner_id is not None:
        await parts.routing.add_load(saved.owner_id, "leads", 1)  # reopened
    return saved


async def record_visit(parts: Components, lead: Lead) -> Lead:
    updated = lead.model_copy(update={"visits": lead.visits + 1, "updated_at": utc_now()})
    updated = rescore(updated, await parts.config.scoring())
    return await parts.leads.save(updated, lead.version)


async def assign_manually(parts: Components, lead: Lead, owner_id: str, team: str | None) -> Lead:
    assigned, events = assign_lead(lead, owner_id=owner_id, team=team, rule="manual", now=utc_now())
    saved = await parts.leads.save(assigned, lead.version, events)
    await parts.routing.add_load(owner_id, "leads", 1)
    await release(parts, lead.owner_id)
    return saved


async def route_again(parts: Components, lead: Lead) -> Lead:
    """Run the rule table for an unassigned open lead (e.g. after the rules changed)."""
    if lead.owner_id is not None or not lead.is_open:
        return lead
    routed = await route_lead(parts, _facts(lead))
    if routed is None:
        return lead
    assigned, events = assign_lead(
        lead, owner_id=routed.owner_id, team=routed.team, rule=routed.rule, now=utc_now()
    )
    try:
        return await parts.leads.save(
            assigned, lead.version, events, extra_filter={"owner_id": None}
        )
    except Exception:
        await release(parts, routed.owner_id)
        raise


async def rescore_open_leads(parts: Components, limit: int = 10_000) -> int:
    """Recompute every open lead's score after the weights changed; returns how many moved."""
    config = await parts.config.scoring()
    changed = 0
    for lead in await parts.leads.find(
        {"status": {"$in": ["new", "contacted", "qualified"]}}, limit=limit
    ):
        rescored = rescore(lead, config)
        if rescored.score != lead.score or rescored.score_breakdown != lead.score_breakdown:
            await parts.leads.set_score(rescored)
            changed += 1
    return changed


async def convert(
    parts: Components, lead: Lead, request: ConversionRequest, actor: str | None
) -> tuple[Lead, Opportunity]:
    """Turn a qualified lead into customer + contact + opportunity in one call.

    The customer and contact ids are chosen here; the customer service creates them
    from ``crm.sales.lead.converted.v1``. The lead's write (state and event) comes
    first; the opportunity has the id reserved in it, so a retry after a crash
    between the two writes completes the conversion with the same ids.
    """
    now = utc_now()
    proposed = Conversion(customer_id=new_id(), contact_id=new_id(), opportunity_id=new_id())
    conversion = start_conversion(lead, proposed)
    pipeline = await parts.pipelines.get(request.pipeline_id)
    if pipeline is None:
        raise RuleViolation(f"No pipeline {request.pipeline_id!r}.", field="pipeline_id")
    opportunity, opportunity_events = open_opportunity(
        Opportunity(
            opportunity_id=conversion.opportunity_id,
            name=request.opportunity_name or f"{lead.prospect.company or lead.prospect.name}",
            customer_id=conversion.customer_id,
            contact_id=conversion.contact_id,
            lead_id=lead.lead_id,
            pipeline_id=pipeline.pipeline_id,
            stage=request.stage or pipeline.first_stage.key,
            probability=pipeline.first_stage.probability,
            amount=request.amount,
            currency=request.currency,
            expected_close=request.expected_close,
            owner_id=lead.owner_id,
            team=lead.team,
            product=lead.product,
            source_channel=lead.source_channel,
            lead_score=lead.score,
            stage_changed_at=now,
            created_at=now,
            updated_at=now,
        ),
        pipeline,
        actor,
    )
    was_open = lead.is_open
    lead = lead.model_copy(update={"conversion": conversion})
    converted, lead_events = complete_conversion(lead, now)
    if lead_events:
        converted = await parts.leads.save(converted, lead.version, lead_events)
    await parts.customers.remember_converted(
        conversion.customer_id,
        lead.prospect.company or lead.prospect.name,
        lead.prospect.company,
        owner_id=lead.owner_id,
        team=lead.team,
    )
    stored = await parts.opportunities.get(conversion.opportunity_id)
    if stored is None:
        try:
            await parts.opportunities.insert(opportunity, opportunity_events)
            stored = opportunity
        except DuplicateKeyError:
            stored = await parts.opportunities.get(conversion.opportunity_id)
            assert stored is not None
    if was_open:
        await release(parts, converted.owner_id)
    return converted, stored
