"""Opportunity use cases: open, edit, move through the pipeline, stalled alerts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RuleViolation, VersionConflict
from crm_contracts.access import RecordScope
from sales.components import Components
from sales.domain.opportunities import (
    Opportunity,
    edit_opportunity,
    move_to_stage,
    open_opportunity,
    stall_alert,
    stall_started_at,
)
from sales.domain.pipelines import Pipeline
from sales.operations.references import check_references


async def pipeline_of(parts: Components, pipeline_id: str) -> Pipeline:
    pipeline = await parts.pipelines.get(pipeline_id)
    if pipeline is None:
        raise RuleViolation(f"No pipeline {pipeline_id!r}.", field="pipeline_id")
    return pipeline


async def create(
    parts: Components, opportunity: Opportunity, actor: str | None, *, scope: RecordScope
) -> Opportunity:
    """Open an opportunity; the quote it names must be one its creator (whose sales
    records are ``scope``) may name, checked before anything is written."""
    await check_references(
        parts,
        scope,
        customer_id=opportunity.customer_id,
        quote_id=opportunity.quote_id,
        naming_opportunity_id=opportunity.opportunity_id,
    )
    pipeline = await pipeline_of(parts, opportunity.pipeline_id)
    opened, events = open_opportunity(opportunity, pipeline, actor)
    await parts.opportunities.insert(opened, events)
    return opened


async def edit(
    parts: Components,
    opportunity: Opportunity,
    changes: dict[str, Any],
    version: int,
    *,
    scope: RecordScope,
) -> Opportunity:
    """Change an open opportunity's details. A quote it is given anew must be one the
    editor (whose sales records are ``scope``) may name; the quote it already names is
    not checked again, so a form sent back whole still saves."""
    edited = edit_opportunity(opportunity, changes, utc_now())
    if edited.quote_id is not None and edited.quote_id != opportunity.quote_id:
        await check_references(
            parts,
            scope,
            customer_id=edited.customer_id,
            quote_id=edited.quote_id,
            naming_opportunity_id=edited.opportunity_id,
        )
    return await parts.opportunities.save(edited, version)


async def change_stage(
    parts: Components,
    opportunity: Opportunity,
    stage: str,
    *,
    version: int,
    actor: str | None,
    reason: str | None,
) -> Opportunity:
    pipeline = await pipeline_of(parts, opportunity.pipeline_id)
    moved, events = move_to_stage(
        opportunity, pipeline, stage, actor=actor, now=utc_now(), reason=reason
    )
    if not events:
        return opportunity
    return await parts.opportunities.save(moved, version, events)


async def alert_stalled(
    parts: Components, default_stall_days: int, now: datetime, limit: int = 1000
) -> int:
    """Publish one stalled alert per stall: owner and manager are named in the event.

    Each pipeline may set its own number of idle days. Each alert is written with a
    version check, so when two replicas scan at once only one of them records (and
    so publishes) a given alert.
    """
    pipelines = await parts.pipelines.find({}, limit=1000)
    stall_days = {p.pipeline_id: p.stall_days or default_stall_days for p in pipelines}
    shortest = min([default_stall_days, *stall_days.values()])
    candidates = await parts.opportunities.find(
        {"status": "open", "stage_changed_at": {"$lte": now - timedelta(days=shortest)}},
        sort=[("stage_changed_at", 1)],
        limit=limit,
    )
    alerted = 0
    for opportunity in candidates:
        days = stall_days.get(opportunity.pipeline_id, default_stall_days)
        if stall_started_at(opportunity, now, days) is None:
            continue
        rep = await parts.routing.get_rep(opportunity.owner_id) if opportunity.owner_id else None
        updated, events = stall_alert(
            opportunity, manager_id=rep.manager_id if rep else None, now=now, stall_days=days
        )
        try:
            await parts.opportunities.save(updated, opportunity.version, events)
        except VersionConflict:
            continue  # changed meanwhile (or alerted by another replica)
        alerted += 1
    return alerted
