"""``/api/v1/segments``: rule-based and static audiences with a preview count (M-2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from marketing.api.deps import IfMatch, PartsDep, utc_now
from marketing.domain import segments as rules
from marketing.domain.segments import Segment, SegmentKind
from marketing.operations import segments as operations

router = APIRouter(prefix="/api/v1/segments", tags=["segments"])

Name = Annotated[str, Field(min_length=1, max_length=200)]
Values = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=100)]


class SegmentRulesIn(InputModel):
    """Each rule narrows the audience (AND); values inside a rule are alternatives (OR)."""

    tiers: Values = []
    tags_any: Values = []
    tags_all: Values = []
    regions: Values = []
    industries: Values = []
    company_sizes: Values = []
    min_consumption: Decimal | None = Field(default=None, ge=0, decimal_places=2)
    max_consumption: Decimal | None = Field(default=None, ge=0, decimal_places=2)
    active_within_days: int | None = Field(default=None, ge=1, le=3650)
    inactive_for_days: int | None = Field(default=None, ge=1, le=3650)


StaticMembers = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=100)]],
    Field(max_length=rules.MAX_STATIC_MEMBERS),
]


class SegmentCreate(InputModel):
    name: Name
    description: str | None = Field(default=None, max_length=2000)
    kind: SegmentKind = SegmentKind.RULES
    rules: SegmentRulesIn = SegmentRulesIn()
    customer_ids: StaticMembers = []


class SegmentPatch(InputModel):
    name: Name | None = None
    description: str | None = Field(default=None, max_length=2000)
    rules: SegmentRulesIn | None = None
    customer_ids: StaticMembers | None = None


class CustomerSample(BaseModel):
    customer_id: str
    name: str | None = None
    tier: str | None = None
    region: str | None = None


class SegmentPreview(BaseModel):
    count: int
    sample: list[CustomerSample]


class SegmentOut(BaseModel):
    id: str
    name: str
    description: str | None
    kind: SegmentKind
    rules: SegmentRulesIn
    member_count: int
    owner_id: str | None
    team: str | None
    version: int
    created_at: datetime
    updated_at: datetime


def _out(segment: Segment, member_count: int) -> SegmentOut:
    return SegmentOut(
        id=segment.id,
        name=segment.name,
        description=segment.description,
        kind=segment.kind,
        rules=SegmentRulesIn.model_validate(segment.rules),
        member_count=member_count,
        owner_id=segment.owner_id,
        team=segment.team,
        version=segment.version,
        created_at=segment.created_at,
        updated_at=segment.updated_at,
    )


async def _out_now(parts: PartsDep, principal: Principal, segment: Segment) -> SegmentOut:
    count = await operations.member_count(parts.customers, principal, segment, utc_now())
    return _out(segment, count)


def _preview_out(preview: operations.Preview) -> SegmentPreview:
    return SegmentPreview(
        count=preview.count,
        sample=[
            CustomerSample(
                customer_id=c["_id"], name=c.get("name"), tier=c.get("tier"), region=c.get("region")
            )
            for c in preview.sample
        ],
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_segment(
    body: SegmentCreate,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> SegmentOut:
    segment = await operations.create_segment(
        parts.segments,
        principal,
        name=body.name,
        description=body.description,
        kind=body.kind,
        stored_rules=body.rules.model_dump(mode="python"),
        members=body.customer_ids,
        now=utc_now(),
    )
    response.headers["ETag"] = etag(segment.version)
    return await _out_now(parts, principal, segment)


@router.post("/preview")
async def preview_rules(
    body: SegmentCreate,
    parts: PartsDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SegmentPreview:
    """How many customers a segment definition selects, before saving it (of those the
    caller may see)."""
    preview = await operations.preview_definition(
        parts.customers,
        principal,
        body.kind,
        body.rules.model_dump(mode="python"),
        body.customer_ids,
        utc_now(),
    )
    return _preview_out(preview)


@router.get("")
async def list_segments(
    parts: PartsDep,
    page: PageDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    name: Annotated[str | None, Query(max_length=200)] = None,
    kind: SegmentKind | None = None,
    sort: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[SegmentOut]:
    query: dict[str, Any] = {}
    if name:
        query["name"] = name
    if kind:
        query["kind"] = kind.value
    order = parse_sort(sort, ["name", "created_at", "updated_at"], "-created_at")
    found = await parts.segments.page(query, sort=order, offset=page.offset, limit=page.limit)
    return Page(
        items=[await _out_now(parts, principal, s) for s in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/{segment_id}")
async def get_segment(
    segment_id: str,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SegmentOut:
    segment = await parts.segments.require(segment_id)
    response.headers["ETag"] = etag(segment.version)
    return await _out_now(parts, principal, segment)


@router.get("/{segment_id}/preview")
async def preview_segment(
    segment_id: str,
    parts: PartsDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SegmentPreview:
    """The segment evaluated now: its audience size and a sample (of the customers the
    caller may see)."""
    segment = await parts.segments.require(segment_id)
    preview = await operations.preview_segment(parts.customers, principal, segment, utc_now())
    return _preview_out(preview)


@router.patch("/{segment_id}")
async def patch_segment(
    segment_id: str,
    body: SegmentPatch,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> SegmentOut:
    version = expected_version(if_match)
    changes: dict[str, Any] = {}
    if body.name is not None:
        changes["name"] = body.name
    if "description" in body.model_fields_set:
        changes["description"] = body.description
    if body.rules is not None:
        changes["rules"] = body.rules.model_dump(mode="python")
    if body.customer_ids is not None:
        changes["customer_ids"] = body.customer_ids
    segment = await operations.change_segment(
        parts.segments, principal, segment_id, version, changes, utc_now()
    )
    response.headers["ETag"] = etag(segment.version)
    return await _out_now(parts, principal, segment)


@router.delete("/{segment_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_segment(
    segment_id: str,
    parts: PartsDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> None:
    await operations.delete_segment(parts.segments, principal, segment_id)
