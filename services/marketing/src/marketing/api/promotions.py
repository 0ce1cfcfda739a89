"""``/api/v1/promotions`` and ``/api/v1/coupons``: discounts, bundles, loyalty points and
coupon codes with limits and validity (M-6)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import AwareDatetime, BaseModel, Field

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from marketing.api.deps import IfMatch, PartsDep, utc_now
from marketing.domain.promotions import Coupon, Promotion, PromotionKind, normalise_code
from marketing.operations import promotions as operations

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


def _promotion_out(promotion: Promotion) -> PromotionOut:
    return PromotionOut.model_validate(promotion.model_dump())


def _coupon_out(coupon: Coupon) -> CouponOut:
    return CouponOut.model_validate(coupon.model_dump())


@router.post("/api/v1/promotions", status_code=status.HTTP_201_CREATED)
async def create_promotion(
    body: PromotionCreate,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> PromotionOut:
    promotion = await operations.create_promotion(
        parts.promotions, principal, **body.model_dump(mode="python"), now=utc_now()
    )
    response.headers["ETag"] = etag(promotion.version)
    return _promotion_out(promotion)


@router.get("/api/v1/promotions")
async def list_promotions(
    parts: PartsDep,
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
    found = await parts.promotions.page(query, sort=order, offset=page.offset, limit=page.limit)
    return Page(
        items=[_promotion_out(p) for p in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/api/v1/promotions/{promotion_id}")
async def get_promotion(
    promotion_id: str,
    parts: PartsDep,
    response: Response,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_READ)],
) -> PromotionOut:
    promotion = await parts.promotions.require(promotion_id)
    response.headers["ETag"] = etag(promotion.version)
    return _promotion_out(promotion)


@router.patch("/api/v1/promotions/{promotion_id}")
async def patch_promotion(
    promotion_id: str,
    body: PromotionPatch,
    parts: PartsDep,
    response: Response,
    principal: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
    if_match: IfMatch = None,
) -> PromotionOut:
    version = expected_version(if_match)
    changes = body.model_dump(mode="python", exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        del changes["name"]
    promotion = await operations.change_promotion(
        parts.promotions, principal, promotion_id, version, changes
    )
    response.headers["ETag"] = etag(promotion.version)
    return _promotion_out(promotion)


@router.post("/api/v1/coupons", status_code=status.HTTP_201_CREATED)
async def create_coupon(
    body: CouponCreate,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.CAMPAIGNS_WRITE)],
) -> CouponOut:
    """Issue a coupon of a promotion: personal (``customer_id``) or shared, with a limit."""
    coupon = await operations.issue_manual_coupon(
        parts.promotions,
        parts.coupons,
        promotion_id=body.promotion_id,
        customer_id=body.customer_id,
        max_redemptions=body.max_redemptions,
        code=body.code,
        now=utc_now(),
    )
    return _coupon_out(coupon)


@router.get("/api/v1/coupons")
async def list_coupons(
    parts: PartsDep,
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
        query["code"] = normalise_code(code)
    order = parse_sort(None, ["issued_at"], "-issued_at")
    found = await parts.coupons.page(query, sort=order, offset=page.offset, limit=page.limit)
    return Page(
        items=[_coupon_out(c) for c in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.post("/api/v1/coupons/{code}/redemptions")
async def redeem_coupon(
    code: Annotated[str, Path(max_length=40)],
    body: Redemption,
    parts: PartsDep,
    _: Annotated[Principal, allowed(Permission.SALES_WRITE)],
) -> CouponOut:
    """Use a coupon once (at checkout); 422 says why when it cannot be used."""
    coupon = await operations.redeem_coupon(
        parts.coupons, code, body.customer_id, body.order_id, utc_now()
    )
    return _coupon_out(coupon)
