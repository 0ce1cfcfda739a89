"""``/api/v1/segments``: rule-based and static audiences with a preview count (M-2)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import NotFound
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from marketing.api.deps import (
    IfMatch,
    domain_errors,
    require_manager,
    utc_now,
    visible_audience,
)
from marketing.domain import segments as rules
from marketing.domain.segments import SegmentKind
from marketing.store import segments as store

router = APIRouter(prefix="/api/v1/segments", tags=["segments"])

Name = Annotated[str, Field(min_length=1, max_length=200)]
Values = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=100)]
PREVIEW_SAMPLE = 10


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

    def to_domain(self) -> rules.SegmentRules:
        return rules.SegmentRules(
            tiers=frozenset(t.lower() for t in self.tiers),
            tags_any=frozenset(self.tags_any),
            tags_all=frozenset(self.tags_all),
            regions=frozenset(self.regions),
            industries=frozenset(self.industries),
            company_sizes=frozenset(self.company_sizes),
            min_consumption=self.min_consumption,
            max_consumption=self.max_consumption,
            active_within_days=self.active_within_days,
            inactive_for_days=self.inactive_for_days,
        )


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


def _out(document: dict[str, Any], member_count: int) -> SegmentOut:
    return SegmentOut(
        id=document["_id"],
        name=document["name"],
        description=document.get("description"),
        kind=SegmentKind(document["kind"]),
        rules=SegmentRulesIn.model_validate(document.get("rules") or {}),
        member_count=member_count,
        owner_id=document.get("owner_id"),
        team=document.get("team"),
        version=document["version"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
    )


def _validate(kind: SegmentKind, rules_in: SegmentRulesIn, members: list[str]) -> None:
    with domain_errors():
        rules.validate_rules(rules_in.to_domain())
        rules.validate_static_members(members)


def audience_query_of(document: dict[str, Any]) -> dict[str, Any]:
    """The customer-projection query selecting a stored segment's audience."""
    return store.audience_query(
        SegmentKind(document["kind"]),
        SegmentRulesIn.model_validate(document.get("rules") or {}).to_domain(),
        document.get("customer_ids") or [],
        utc_now(),
    )


async def _member_count(runtime: RuntimeDep, principal: Principal, document: dict[str, Any]) -> int:
    """How many customers the segment selects now, of those the caller may see: the
    count its preview shows (a rule segment stores no members, only its rules)."""
    query = visible_audience(principal, audience_query_of(document))
    return await store.count_audience(runtime.db, query)


async def _out_now(
    runtime: RuntimeDep, principal: Principal, document: dict[str, Any]
) -> SegmentOut:
    return _out(document, await _member_count(runtime, principal, document))


async def _preview(runtime: RuntimeDep, query: dict[str, Any]) -> SegmentPreview:
    sample = await store.sample_audience(runtime.db, query, PREVIEW_SAMPLE)
    return SegmentPreview(
        count=await store.count_audience(runtime.db, query),
        sample=[
            CustomerSample(
                customer_id=c["_id"], name=c.get("name"), tier=c.get("tier"), region=c.get("region")
            )
            for c in sample
        ],
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_segment(
    body: SegmentCreate,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> SegmentOut:
    _validate(body.kind, body.rules, body.customer_ids)
    now = utc_now()
    document = {
        "_id": uuid.uuid4().hex,
        "name": body.name,
        "description": body.description,
        "kind": body.kind.value,
        "rules": body.rules.model_dump(mode="python"),
        "customer_ids": sorted(set(body.customer_ids)),
        "owner_id": principal.subject,
        "team": principal.team,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    await store.insert(runtime.db, document)
    response.headers["ETag"] = etag(1)
    return await _out_now(runtime, principal, document)


@router.post("/preview")
async def preview_rules(
    body: SegmentCreate,
    runtime: RuntimeDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SegmentPreview:
    """How many customers a segment definition selects, before saving it (of those the
    caller may see)."""
    _validate(body.kind, body.rules, body.customer_ids)
    query = store.audience_query(body.kind, body.rules.to_domain(), body.customer_ids, utc_now())
    return await _preview(runtime, visible_audience(principal, query))


@router.get("")
async def list_segments(
    runtime: RuntimeDep,
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
    items, total = await store.page(runtime.db, query, order, page)
    return Page(
        items=[await _out_now(runtime, principal, d) for d in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{segment_id}")
async def get_segment(
    segment_id: str,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SegmentOut:
    document = await store.get(runtime.db, segment_id)
    response.headers["ETag"] = etag(document["version"])
    return await _out_now(runtime, principal, document)


@router.get("/{segment_id}/preview")
async def preview_segment(
    segment_id: str,
    runtime: RuntimeDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> SegmentPreview:
    """The segment evaluated now: its audience size and a sample (of the customers the
    caller may see)."""
    document = await store.get(runtime.db, segment_id)
    return await _preview(runtime, visible_audience(principal, audience_query_of(document)))


@router.patch("/{segment_id}")
async def patch_segment(
    segment_id: str,
    body: SegmentPatch,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> SegmentOut:
    version = expected_version(if_match)
    current = await store.get(runtime.db, segment_id)
    require_manager(principal, current, "segment")
    rules_in = body.rules or SegmentRulesIn.model_validate(current.get("rules") or {})
    members = body.customer_ids if body.customer_ids is not None else current["customer_ids"]
    _validate(SegmentKind(current["kind"]), rules_in, members)
    fields: dict[str, Any] = {"updated_at": utc_now()}
    if body.name is not None:
        fields["name"] = body.name
    if "description" in body.model_fields_set:
        fields["description"] = body.description
    if body.rules is not None:
        fields["rules"] = body.rules.model_dump(mode="python")
    if body.customer_ids is not None:
        fields["customer_ids"] = sorted(set(body.customer_ids))
    updated = await store.update(runtime.db, segment_id, version, {"$set": fields})
    response.headers["ETag"] = etag(updated["version"])
    return await _out_now(runtime, principal, updated)


@router.delete("/{segment_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_segment(
    segment_id: str,
    runtime: RuntimeDep,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> None:
    current = await store.get(runtime.db, segment_id)
    require_manager(principal, current, "segment")
    if not await store.delete(runtime.db, segment_id):
        raise NotFound(f"No segment {segment_id}.")
