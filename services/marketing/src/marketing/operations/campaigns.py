"""Campaigns (M-1, M-4, M-7): plan, lifecycle, sending to a segment, recipients, figures."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crm_chassis.auth import Principal
from crm_chassis.domain_errors import RuleViolation, StateConflict
from crm_chassis.mongo import Document
from crm_chassis.pagination import Page, PageParams, SortSpec
from marketing.components import Components
from marketing.domain import campaigns as rules
from marketing.domain.campaigns import (
    Campaign,
    CampaignStatus,
    Channel,
    SendSnapshot,
    TemplateSnapshot,
)
from marketing.domain.deliveries import DeliveryStatus
from marketing.domain.metrics import CampaignCounts
from marketing.operations.access import require_manager
from marketing.operations.metrics_publisher import count_campaign
from marketing.operations.segments import audience_of
from marketing.operations.sending.launch import QueueSummary, queue_audience

LATE_FIELDS = frozenset({"cost", "description"})
"""What may still change once a campaign runs."""


def _with(campaign: Campaign, changes: Mapping[str, Any]) -> Campaign:
    return Campaign.model_validate({**campaign.model_dump(), **changes})


async def create_campaign(
    parts: Components, principal: Principal, plan: Mapping[str, Any], now: datetime
) -> Campaign:
    """A planned campaign owned by the caller (and their team)."""
    rules.check_dates(plan.get("starts_at"), plan.get("ends_at"))
    campaign = Campaign.model_validate(
        {
            **plan,
            "id": uuid.uuid4().hex,
            "channels": sorted(set(plan["channels"])),
            "status": CampaignStatus.PLANNED,
            "owner_id": principal.subject,
            "team": principal.team,
            "created_at": now,
            "updated_at": now,
        }
    )
    event = rules.status_changed(campaign.facts(), None, CampaignStatus.PLANNED, now)
    await parts.campaigns.insert(campaign, [event])
    return campaign


async def change_plan(
    parts: Components,
    principal: Principal,
    campaign_id: str,
    version: int | None,
    changes: Mapping[str, Any],
    now: datetime,
) -> Campaign:
    """Change the plan; once running, only ``cost`` and ``description`` may change."""
    current = await parts.campaigns.require(campaign_id)
    require_manager(principal, current, "campaign")
    if set(changes) - LATE_FIELDS:
        rules.check_editable(current.status)
    rules.check_dates(
        changes.get("starts_at", current.starts_at), changes.get("ends_at", current.ends_at)
    )
    fields = dict(changes)
    if "channels" in fields:
        fields["channels"] = sorted(set(fields["channels"] or []))
    return await parts.campaigns.save(
        _with(current, {**fields, "updated_at": now}),
        current.version if version is None else version,
    )


async def change_status(
    parts: Components,
    principal: Principal,
    campaign_id: str,
    target: CampaignStatus,
    version: int | None,
    now: datetime,
) -> Campaign:
    """Move the campaign through planned -> preparing -> running -> completed / cancelled;
    an email campaign starts running by queueing its audience (:func:`send_campaign`)."""
    current = await parts.campaigns.require(campaign_id)
    require_manager(principal, current, "campaign")
    events = rules.change_status(current.facts(), target, now)
    if target is CampaignStatus.RUNNING and Channel.EMAIL in current.channels:
        raise StateConflict(
            "Start an email campaign by queueing its audience: POST .../deliveries."
        )
    return await parts.campaigns.save(
        _with(current, {"status": target, "updated_at": now}),
        current.version if version is None else version,
        events,
        extra_filter={"status": current.status.value},
    )


async def _start_send(parts: Components, current: Campaign, now: datetime) -> Campaign:
    """Snapshot template and promotion text, and move the campaign to running (once)."""
    if current.send is not None:
        return current
    if current.status is not CampaignStatus.PREPARING:
        raise StateConflict(
            f"Only a preparing campaign can start sending (this one is {current.status})."
        )
    if Channel.EMAIL not in current.channels:
        raise RuleViolation("The campaign has no email channel (campaign.channels).")
    if not current.segment_id:
        raise RuleViolation("Choose the segment to send to (campaign.segment_id).")
    if not current.template_id:
        raise RuleViolation("Choose the email template to send (campaign.template_id).")
    template = await parts.templates.require(current.template_id)
    await parts.segments.require(current.segment_id)
    details = current.promotion_details
    if not details and current.promotion_id:
        details = (await parts.promotions.require(current.promotion_id)).description
    events = rules.change_status(current.facts(), CampaignStatus.RUNNING, now)
    send = SendSnapshot(
        started_at=now,
        segment_id=current.segment_id,
        template_id=template.id,
        template=TemplateSnapshot(subject=template.subject, html=template.html, text=template.text),
        promotion_details=details,
    )
    running = _with(
        current, {"status": CampaignStatus.RUNNING, "send": send.model_dump(), "updated_at": now}
    )
    return await parts.campaigns.save(running, current.version, events)


async def send_campaign(
    parts: Components, principal: Principal, campaign_id: str, now: datetime
) -> QueueSummary:
    """Queue one email per customer of the campaign's segment and start sending.

    Unsubscribed and suppressed customers are recorded as ``suppressed`` and get
    nothing. Safe to repeat: recipients already queued are not queued again.
    """
    current = await parts.campaigns.require(campaign_id)
    require_manager(principal, current, "campaign")
    campaign = await _start_send(parts, current, now)
    if campaign.status is not CampaignStatus.RUNNING or campaign.send is None:
        raise StateConflict(f"The campaign is {campaign.status}; nothing more is queued.")
    segment = await parts.segments.require(campaign.send.segment_id)
    summary = await queue_audience(
        parts.customers,
        parts.consent,
        parts.deliveries,
        campaign_id,
        audience_of(segment, now),
        now,
        parts.settings.message_id_domain,
    )

    def record(latest: Campaign) -> tuple[Campaign, list[Any]] | None:
        if latest.send is None:
            return None
        counts = latest.send.model_copy(
            update={
                "audience": summary.audience,
                "queued": summary.queued,
                "suppressed": summary.suppressed,
            }
        )
        return latest.model_copy(update={"send": counts}), []

    await parts.campaigns.update(campaign_id, record)
    await parts.campaigns.mark_metrics_dirty([campaign_id])
    parts.wake_sender()
    return summary


async def deliveries_page(
    parts: Components,
    principal: Principal,
    campaign_id: str,
    *,
    status: DeliveryStatus | None,
    customer_id: str | None,
    sort: SortSpec,
    page: PageParams,
) -> Page[Document]:
    """Per-recipient status of a campaign's messages, for the recipients the caller may
    see (a sales manager: their team's customers and their own)."""
    await parts.campaigns.require(campaign_id)
    query: dict[str, Any] = {"campaign_id": campaign_id}
    if status:
        query["status"] = status.value
    if customer_id:
        query["customer_id"] = customer_id
    scope = principal.customer_scope()
    if not scope.unrestricted:
        visible = await parts.customers.ids(scope.query())
        query = {"$and": [query, {"customer_id": {"$in": visible}}]}
    items, total = await parts.deliveries.page(query, sort, page)
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


async def campaign_figures(parts: Components, campaign_id: str) -> tuple[Campaign, CampaignCounts]:
    """Live figures: participation, conversion, ROI, CPA, open and click rates (M-7)."""
    campaign = await parts.campaigns.require(campaign_id)
    audience = campaign.send.audience if campaign.send else 0
    counts = await count_campaign(parts.deliveries, parts.conversions, campaign.id, audience)
    return campaign, counts
