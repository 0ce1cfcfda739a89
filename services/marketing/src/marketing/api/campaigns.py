"""``/api/v1/campaigns``: plans, lifecycle, sending to a segment, recipients, metrics."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import Conflict, FieldError, InvalidInput
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_chassis.service import RuntimeDep
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
from marketing.api.deps import (
    IfMatch,
    domain_errors,
    require_manager,
    settings_of,
    utc_now,
    wake_sender,
)
from marketing.api.segments import audience_query_of
from marketing.api.templates import content_of
from marketing.domain import campaigns as rules
from marketing.domain.campaigns import CampaignFacts, CampaignStatus, Channel
from marketing.domain.deliveries import DeliveryStatus
from marketing.operations.metrics_publisher import count_campaign
from marketing.operations.sending.launch import queue_audience
from marketing.store import campaigns as store
from marketing.store import customers, deliveries, promotions, segments, templates

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])


def _facts(document: dict[str, Any]) -> CampaignFacts:
    return CampaignFacts(
        campaign_id=document["_id"],
        name=document["name"],
        status=CampaignStatus(document["status"]),
        budget=document["budget"],
        cost=document["cost"],
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_campaign(
    body: CampaignCreate,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> CampaignOut:
    with domain_errors():
        rules.check_dates(body.starts_at, body.ends_at)
    now = utc_now()
    document: dict[str, Any] = {
        "_id": uuid.uuid4().hex,
        **body.model_dump(mode="python"),
        "channels": sorted({c.value for c in body.channels}),
        "goals": body.goals.model_dump(mode="python"),
        "status": CampaignStatus.PLANNED.value,
        "owner_id": principal.subject,
        "team": principal.team,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    event = rules.status_changed(_facts(document), None, CampaignStatus.PLANNED, now)
    await store.insert(runtime.db, document, [event])
    runtime.notify_outbox()
    response.headers["ETag"] = etag(1)
    return campaign_out(document)


@router.get("")
async def list_campaigns(
    runtime: RuntimeDep,
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
    items, total = await store.page(runtime.db, query, order, page)
    return Page(
        items=[campaign_out(d) for d in items], total=total, offset=page.offset, limit=page.limit
    )


@router.get("/{campaign_id}")
async def get_campaign(
    campaign_id: str,
    runtime: RuntimeDep,
    response: Response,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> CampaignOut:
    document = await store.get(runtime.db, campaign_id)
    response.headers["ETag"] = etag(document["version"])
    return campaign_out(document)


@router.patch("/{campaign_id}")
async def patch_campaign(
    campaign_id: str,
    body: CampaignPatch,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> CampaignOut:
    """Change the plan; once running, only ``cost`` and ``description`` may change."""
    version = expected_version(if_match)
    current = await store.get(runtime.db, campaign_id)
    require_manager(principal, current, "campaign")
    changes = body.model_dump(mode="python", exclude_unset=True)
    late_fields = {"cost", "description"}
    with domain_errors():
        if set(changes) - late_fields:
            rules.check_editable(CampaignStatus(current["status"]))
        rules.check_dates(
            changes.get("starts_at", current.get("starts_at")),
            changes.get("ends_at", current.get("ends_at")),
        )
    if "channels" in changes:
        changes["channels"] = sorted({c.value for c in body.channels or []})
    updated = await store.update(
        runtime.db, campaign_id, version, {"$set": {**changes, "updated_at": utc_now()}}
    )
    response.headers["ETag"] = etag(updated["version"])
    return campaign_out(updated)


@router.post("/{campaign_id}/status")
async def change_status(
    campaign_id: str,
    body: StatusChange,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> CampaignOut:
    """Move the campaign through planned -> preparing -> running -> completed / cancelled.

    An email campaign starts running by queueing its audience
    (``POST /campaigns/{id}/deliveries``), not here.
    """
    version = expected_version(if_match, required=False)
    current = await store.get(runtime.db, campaign_id)
    require_manager(principal, current, "campaign")
    now = utc_now()
    with domain_errors():
        events = rules.change_status(_facts(current), body.status, now)
    if body.status is CampaignStatus.RUNNING and Channel.EMAIL.value in current["channels"]:
        raise Conflict("Start an email campaign by queueing its audience: POST .../deliveries.")
    updated = await store.update(
        runtime.db,
        campaign_id,
        version,
        {"$set": {"status": body.status.value, "updated_at": now}},
        events,
        condition={"status": current["status"]},
    )
    runtime.notify_outbox()
    response.headers["ETag"] = etag(updated["version"])
    return campaign_out(updated)


def _missing(field: str, reason: str) -> InvalidInput:
    return InvalidInput(reason, errors=[FieldError(field=f"campaign.{field}", reason=reason)])


async def _start_send(runtime: RuntimeDep, current: dict[str, Any]) -> dict[str, Any]:
    """Snapshot template and promotion text, and move the campaign to running (once)."""
    if current.get("send"):
        return current
    status_ = CampaignStatus(current["status"])
    if status_ is not CampaignStatus.PREPARING:
        raise Conflict(f"Only a preparing campaign can start sending (this one is {status_}).")
    if Channel.EMAIL.value not in current["channels"]:
        raise _missing("channels", "The campaign has no email channel.")
    if not current.get("segment_id"):
        raise _missing("segment_id", "Choose the segment to send to.")
    if not current.get("template_id"):
        raise _missing("template_id", "Choose the email template to send.")
    template = await templates.get(runtime.db, current["template_id"])
    await segments.get(runtime.db, current["segment_id"])
    details = current.get("promotion_details")
    if not details and current.get("promotion_id"):
        promotion = await promotions.get_promotion(runtime.db, current["promotion_id"])
        details = promotion.get("description")
    content = content_of(template)
    now = utc_now()
    events = rules.change_status(_facts(current), CampaignStatus.RUNNING, now)
    send = {
        "started_at": now,
        "segment_id": current["segment_id"],
        "template_id": template["_id"],
        "template": {"subject": content.subject, "html": content.html, "text": content.text},
        "promotion_details": details,
        "audience": 0,
    }
    return await store.update(
        runtime.db,
        current["_id"],
        current["version"],
        {"$set": {"status": CampaignStatus.RUNNING.value, "send": send, "updated_at": now}},
        events,
    )


@router.post("/{campaign_id}/deliveries", status_code=status.HTTP_202_ACCEPTED)
async def send_campaign(
    campaign_id: str,
    runtime: RuntimeDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_SEND)],
) -> LaunchOut:
    """Queue one email per customer of the campaign's segment and start sending.

    Unsubscribed and suppressed customers are recorded as ``suppressed`` and get
    nothing. Safe to repeat: recipients already queued are not queued again.
    """
    current = await store.get(runtime.db, campaign_id)
    require_manager(principal, current, "campaign")
    campaign = await _start_send(runtime, current)
    runtime.notify_outbox()
    if CampaignStatus(campaign["status"]) is not CampaignStatus.RUNNING:
        raise Conflict(f"The campaign is {campaign['status']}; nothing more is queued.")
    segment = await segments.get(runtime.db, campaign["send"]["segment_id"])
    summary = await queue_audience(
        runtime.db,
        campaign_id,
        audience_query_of(segment),
        utc_now(),
        settings_of(runtime).message_id_domain,
    )
    await store.update(
        runtime.db,
        campaign_id,
        None,
        {
            "$set": {
                "send.audience": summary.audience,
                "send.queued": summary.queued,
                "send.suppressed": summary.suppressed,
            },
        },
    )
    await store.mark_metrics_dirty(runtime.db, [campaign_id])
    wake_sender(runtime)
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
    runtime: RuntimeDep,
    page: PageDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    status_: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    customer_id: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[DeliveryOut]:
    """Per-recipient status of a campaign's messages, for the recipients the caller may
    see (a sales manager: their team's customers and their own)."""
    await store.get(runtime.db, campaign_id)
    query: dict[str, Any] = {"campaign_id": campaign_id}
    if status_:
        query["status"] = status_.value
    if customer_id:
        query["customer_id"] = customer_id
    scope = principal.customer_scope()
    if not scope.unrestricted:
        visible = await customers.ids(runtime.db, scope.query())
        query = {"$and": [query, {"customer_id": {"$in": visible}}]}
    order = parse_sort(sort, ["priority", "sent_at", "created_at"], "priority")
    items, total = await deliveries.page(runtime.db, query, order, page)
    return Page(
        items=[delivery_out(d) for d in items], total=total, offset=page.offset, limit=page.limit
    )


@router.get("/{campaign_id}/metrics")
async def campaign_metrics(
    campaign_id: str,
    runtime: RuntimeDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> MetricsOut:
    """Live figures: participation, conversion, ROI, CPA, open and click rates (M-7)."""
    document = await store.get(runtime.db, campaign_id)
    counts = await count_campaign(runtime.db, document)
    return metrics_out(campaign_id, counts, Decimal(document["cost"]), utc_now())
