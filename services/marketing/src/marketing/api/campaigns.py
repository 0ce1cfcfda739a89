"""``/api/v1/campaigns``: plans, lifecycle, sending to a segment, recipients, metrics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from marketing.api.campaign_models import (
    CampaignCreate,
    CampaignOut,
    CampaignPatch,
    DeliveryOut,
    LaunchOut,
    MetricsOut,
    StatusChange,
    campaign_out,
    delivery_out,
    metrics_out,
)
from marketing.api.deps import IfMatch, PartsDep, utc_now
from marketing.domain.campaigns import CampaignStatus, Channel
from marketing.domain.deliveries import DeliveryStatus
from marketing.operations import campaigns as operations

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_campaign(
    body: CampaignCreate,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> CampaignOut:
    plan = body.model_dump(mode="python")
    campaign = await operations.create_campaign(parts, principal, plan, utc_now())
    response.headers["ETag"] = etag(campaign.version)
    return campaign_out(campaign)


@router.get("")
async def list_campaigns(
    parts: PartsDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    status_: Annotated[CampaignStatus | None, Query(alias="status")] = None,
    channel: Channel | None = None,
    owner_id: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[CampaignOut]:
    query: dict[str, Any] = {}
    if status_:
        query["status"] = status_.value
    if channel:
        query["channels"] = channel.value
    if owner_id:
        query["owner_id"] = owner_id
    order = parse_sort(sort, ["name", "created_at", "starts_at", "budget"], "-created_at")
    found = await parts.campaigns.page(query, sort=order, offset=page.offset, limit=page.limit)
    return Page(
        items=[campaign_out(c) for c in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/{campaign_id}")
async def get_campaign(
    campaign_id: str,
    parts: PartsDep,
    response: Response,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> CampaignOut:
    campaign = await parts.campaigns.require(campaign_id)
    response.headers["ETag"] = etag(campaign.version)
    return campaign_out(campaign)


@router.patch("/{campaign_id}")
async def patch_campaign(
    campaign_id: str,
    body: CampaignPatch,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> CampaignOut:
    """Change the plan; once running, only ``cost`` and ``description`` may change."""
    version = expected_version(if_match)
    changes = body.model_dump(mode="python", exclude_unset=True)
    campaign = await operations.change_plan(
        parts, principal, campaign_id, version, changes, utc_now()
    )
    response.headers["ETag"] = etag(campaign.version)
    return campaign_out(campaign)


@router.post("/{campaign_id}/status")
async def change_status(
    campaign_id: str,
    body: StatusChange,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> CampaignOut:
    """Move the campaign through planned -> preparing -> running -> completed / cancelled.

    An email campaign starts running by queueing its audience
    (``POST /campaigns/{id}/deliveries``), not here.
    """
    version = expected_version(if_match, required=False)
    campaign = await operations.change_status(
        parts, principal, campaign_id, body.status, version, utc_now()
    )
    response.headers["ETag"] = etag(campaign.version)
    return campaign_out(campaign)


@router.post("/{campaign_id}/deliveries", status_code=status.HTTP_202_ACCEPTED)
async def send_campaign(
    campaign_id: str,
    parts: PartsDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_SEND)],
) -> LaunchOut:
    """Queue one email per customer of the campaign's segment and start sending.

    Unsubscribed and suppressed customers are recorded as ``suppressed`` and get
    nothing. Safe to repeat: recipients already queued are not queued again.
    """
    summary = await operations.send_campaign(parts, principal, campaign_id, utc_now())
    return LaunchOut(
        campaign_id=campaign_id,
        audience=summary.audience,
        queued=summary.queued,
        suppressed=summary.suppressed,
        newly_queued=summary.added,
    )


@router.get("/{campaign_id}/deliveries")
async def list_deliveries(
    campaign_id: str,
    parts: PartsDep,
    page: PageDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    status_: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    customer_id: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[DeliveryOut]:
    """Per-recipient status of a campaign's messages, for the recipients the caller may
    see (a sales manager: their team's customers and their own)."""
    found = await operations.deliveries_page(
        parts,
        principal,
        campaign_id,
        status=status_,
        customer_id=customer_id,
        sort=parse_sort(sort, ["priority", "sent_at", "created_at"], "priority"),
        page=page,
    )
    return Page(
        items=[delivery_out(d) for d in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/{campaign_id}/metrics")
async def campaign_metrics(
    campaign_id: str,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> MetricsOut:
    """Live figures: participation, conversion, ROI, CPA, open and click rates (M-7)."""
    campaign, counts = await operations.campaign_figures(parts, campaign_id)
    return metrics_out(campaign_id, counts, campaign.cost, utc_now())
