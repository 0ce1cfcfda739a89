"""``/api/v1/campaigns/{id}/responses``: answers to a campaign, handed to sales as leads."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import EmailStr, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from marketing.api.deps import domain_errors, utc_now
from marketing.domain.campaigns import CampaignStatus
from marketing.domain.responses import Respondent, record_response
from marketing.store import campaigns, responses

router = APIRouter(prefix="/api/v1/campaigns/{campaign_id}/responses", tags=["campaigns"])

Text = Annotated[str, Field(min_length=1, max_length=200)]


class ResponseCreate(InputModel):
    name: Text
    customer_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    email: EmailStr | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9]{6,20}$")] | None = None
    company: Text | None = None
    region: Text | None = None
    industry: Text | None = None
    interest: Annotated[str, Field(max_length=2000)] | None = None


class ResponseOut(ResponseCreate):
    id: str
    campaign_id: str
    responded_at: datetime


def _out(document: dict[str, Any]) -> ResponseOut:
    fields = {k: v for k, v in document.items() if k in ResponseCreate.model_fields}
    return ResponseOut(
        id=document["_id"],
        campaign_id=document["campaign_id"],
        responded_at=document["responded_at"],
        **fields,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def record_campaign_response(
    campaign_id: str,
    body: ResponseCreate,
    runtime: RuntimeDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> ResponseOut:
    """Record that someone answered the campaign; sales receives it as a lead."""
    campaign = await campaigns.get(runtime.db, campaign_id)
    respondent = Respondent(**body.model_dump())
    now = utc_now()
    response_id = uuid.uuid4().hex
    with domain_errors():
        events = record_response(
            response_id, campaign_id, CampaignStatus(campaign["status"]), respondent, now
        )
    document = {
        "_id": response_id,
        "campaign_id": campaign_id,
        **asdict(respondent),
        "responded_at": now,
    }
    await responses.insert(runtime.db, document, events)
    runtime.notify_outbox()
    return _out(document)


@router.get("")
async def list_campaign_responses(
    campaign_id: str,
    runtime: RuntimeDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> Page[ResponseOut]:
    await campaigns.get(runtime.db, campaign_id)
    order = parse_sort(None, ["responded_at"], "-responded_at")
    items, total = await responses.page(runtime.db, {"campaign_id": campaign_id}, order, page)
    return Page(items=[_out(d) for d in items], total=total, offset=page.offset, limit=page.limit)
