"""``/api/v1/promotions`` and ``/api/v1/coupons``: discounts, bundles, loyalty points and
coupon codes with limits and validity (M-6)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import AwareDatetime, BaseModel, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from marketing.api.deps import IfMatch, domain_errors, require_manager, utc_now
from marketing.domain import promotions as rules
from marketing.domain.promotions import PromotionKind
from marketing.operations.issuing import issue_coupon
from marketing.store import promotions as store

router = APIRouter(tags=["promotions"])

Ref = Annotated[str, Field(min_length=1, max_length=100)]


class PromotionCreate(InputModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str | None = Field(default=None, max_length=2000)
    kind: PromotionKind
    value: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
    valid_from: AwareDatetime
    valid_until: AwareDatetime | None = None
    bundle_items: Annotated[list[Ref], Field(max_length=50)] = []
    auto_issue_on_tier: Annotated[str, Field(pattern="^svip$")] | None = Field(
        default=None, description="Issue a coupon automatically to customers reaching this tier"
    )
    per_customer_limit: int = Field(default=1, ge=1, le=1000)


class PromotionPatch(InputModel):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: str | None = Field(default=None, max_length=2000)
    valid_until: AwareDatetime | None = None
    auto_issue_on_tier: Annotated[str, Field(pattern="^svip$")] | None = None


class PromotionOut(BaseModel):
    id: str
    name: str
    description: str | None
    kind: PromotionKind
    value: Decimal
    valid_from: datetime
    valid_until: datetime | None
    bundle_items: list[str]
    auto_issue_on_tier: str | None
    per_customer_limit: int
    version: int
    created_at: datetime


class CouponCreate(InputModel):
    promotion_id: Ref
    customer_id: Ref | None = Field(default=None, description="Personal coupon when set")
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{4,32}$")] | None = None
    max_redemptions: int = Field(default=1, ge=1, le=1_000_000)


class Redemption(InputModel):
    customer_id: Ref | None = None
    order_id: Ref | None = None


class CouponOut(BaseModel):
    id: str
    code: str
    promotion_id: str
    customer_id: str | None
    max_redemptions: int
    redemptions: int
    valid_from: datetime
    valid_until: datetime | None
    reason: str | None
    revoked: bool
    issued_at: datetime


def _promotion_out(document: dict[str, Any]) -> PromotionOut:
    return PromotionOut(
        id=document["_id"],
        name=document["name"],
        description=document.get("description"),
        kind=PromotionKind(document["kind"]),
        value=document["value"],
        valid_from=document["valid_from"],
        valid_until=document.get("valid_until"),
        bundle_items=document.get("bundle_items") or [],
        auto_issue_on_tier=document.get("auto_issue_on_tier"),
        per_customer_limit=document.get("per_customer_limit", 1),
        version=document["version"],
        created_at=document["created_at"],
    )


def _coupon_out(document: dict[str, Any]) -> CouponOut:
    return CouponOut(
        id=document["_id"],
        code=document["code"],
        promotion_id=document["promotion_id"],
        customer_id=document.get("customer_id"),
        max_redemptions=document["max_redemptions"],
        redemptions=document["redemptions"],
        valid_from=document["valid_from"],
        valid_until=document.get("valid_until"),
        reason=document.get("reason"),
        revoked=document.get("revoked", False),
        issued_at=document["issued_at"],
    )


@router.post("/api/v1/promotions", status_code=status.HTTP_201_CREATED)
async def create_promotion(
    body: PromotionCreate,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> PromotionOut:
    terms = rules.PromotionTerms(
        body.kind, body.value, body.valid_from, body.valid_until, tuple(body.bundle_items)
    )
    with domain_errors():
        rules.validate_terms(terms)
    document = {
        "_id": uuid.uuid4().hex,
        **body.model_dump(mode="python"),
        "owner_id": principal.subject,
        "team": principal.team,
        "version": 1,
        "created_at": utc_now(),
    }
    await store.insert_promotion(runtime.db, document)
    response.headers["ETag"] = etag(1)
    return _promotion_out(document)


@router.get("/api/v1/promotions")
async def list_promotions(
    runtime: RuntimeDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    kind: PromotionKind | None = None,
    active: Annotated[bool | None, Query(description="Only promotions valid now")] = None,
) -> Page[PromotionOut]:
    query: dict[str, Any] = {}
    if kind:
        query["kind"] = kind.value
    if active:
        now = utc_now()
        query["valid_from"] = {"$lte": now}
        query["$or"] = [{"valid_until": None}, {"valid_until": {"$gt": now}}]
    order = parse_sort(None, ["created_at"], "-created_at")
    items, total = await store.page_promotions(runtime.db, query, order, page)
    return Page(
        items=[_promotion_out(d) for d in items], total=total, offset=page.offset, limit=page.limit
    )


@router.get("/api/v1/promotions/{promotion_id}")
async def get_promotion(
    promotion_id: str,
    runtime: RuntimeDep,
    response: Response,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> PromotionOut:
    document = await store.get_promotion(runtime.db, promotion_id)
    response.headers["ETag"] = etag(document["version"])
    return _promotion_out(document)


@router.patch("/api/v1/promotions/{promotion_id}")
async def patch_promotion(
    promotion_id: str,
    body: PromotionPatch,
    runtime: RuntimeDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> PromotionOut:
    version = expected_version(if_match)
    current = await store.get_promotion(runtime.db, promotion_id)
    require_manager(principal, current, "promotion")
    changes = body.model_dump(mode="python", exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        del changes["name"]
    merged = {**current, **changes}
    terms = rules.PromotionTerms(
        PromotionKind(merged["kind"]),
        merged["value"],
        merged["valid_from"],
        merged.get("valid_until"),
        tuple(merged.get("bundle_items") or []),
    )
    with domain_errors():
        rules.validate_terms(terms)
    updated = await store.update_promotion(runtime.db, promotion_id, version, {"$set": changes})
    response.headers["ETag"] = etag(updated["version"])
    return _promotion_out(updated)


@router.post("/api/v1/coupons", status_code=status.HTTP_201_CREATED)
async def create_coupon(
    body: CouponCreate,
    runtime: RuntimeDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> CouponOut:
    """Issue a coupon of a promotion: personal (``customer_id``) or shared, with a limit."""
    promotion = await store.get_promotion(runtime.db, body.promotion_id)
    coupon = await issue_coupon(
        runtime.db,
        promotion,
        customer_id=body.customer_id,
        max_redemptions=body.max_redemptions,
        reason="manual",
        now=utc_now(),
        code=rules.normalise_code(body.code) if body.code else None,
    )
    assert coupon is not None
    runtime.notify_outbox()
    return _coupon_out(coupon)


@router.get("/api/v1/coupons")
async def list_coupons(
    runtime: RuntimeDep,
    page: PageDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
    customer_id: Annotated[str | None, Query(max_length=100)] = None,
    promotion_id: Annotated[str | None, Query(max_length=100)] = None,
    code: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[CouponOut]:
    query: dict[str, Any] = {}
    if customer_id:
        query["customer_id"] = customer_id
    if promotion_id:
        query["promotion_id"] = promotion_id
    if code:
        query["code"] = rules.normalise_code(code)
    order = parse_sort(None, ["issued_at"], "-issued_at")
    items, total = await store.page_coupons(runtime.db, query, order, page)
    return Page(
        items=[_coupon_out(d) for d in items], total=total, offset=page.offset, limit=page.limit
    )


@router.post("/api/v1/coupons/{code}/redemptions")
async def redeem_coupon(
    code: Annotated[str, Path(max_length=40)],
    body: Redemption,
    runtime: RuntimeDep,
    _: Annotated[Principal, allowed(Permission.SALES_WRITE)],
) -> CouponOut:
    """Use a coupon once (at checkout); 422 says why when it cannot be used."""
    normalised = rules.normalise_code(code)
    now = utc_now()
    redeemed = await store.redeem_coupon(
        runtime.db, normalised, body.customer_id, body.order_id, now
    )
    if redeemed is not None:
        return _coupon_out(redeemed)
    coupon = await store.get_coupon(runtime.db, normalised)
    state = rules.CouponState(
        customer_id=coupon.get("customer_id"),
        redemptions=coupon["redemptions"],
        max_redemptions=coupon["max_redemptions"],
        valid_from=coupon["valid_from"],
        valid_until=coupon.get("valid_until"),
        revoked=coupon.get("revoked", False),
    )
    with domain_errors():
        rules.check_redeemable(state, body.customer_id, now)
        raise rules.CouponNotRedeemable("This coupon cannot be used now; try again.", field="code")
