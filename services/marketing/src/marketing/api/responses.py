"""``/api/v1/campaigns/{id}/responses``: answers to a campaign, handed to sales as leads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import EmailStr, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from marketing.api.deps import PartsDep, utc_now
from marketing.domain.responses import Respondent
from marketing.operations import responses as operations

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
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> ResponseOut:
    """Record that someone answered the campaign; sales receives it as a lead."""
    document = await operations.record_campaign_response(
        parts.campaigns, parts.responses, campaign_id, Respondent(**body.model_dump()), utc_now()
    )
    return _out(document)


@router.get("")
async def list_campaign_responses(
    campaign_id: str,
    parts: PartsDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> Page[ResponseOut]:
    await parts.campaigns.require(campaign_id)
    order = parse_sort(None, ["responded_at"], "-responded_at")
    items, total = await parts.responses.page({"campaign_id": campaign_id}, order, page)
    return Page(items=[_out(d) for d in items], total=total, offset=page.offset, limit=page.limit)
