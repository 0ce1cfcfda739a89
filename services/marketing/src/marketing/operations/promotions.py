"""Promotions and coupons (M-6): terms checked when saved, coupons issued and redeemed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm_chassis.auth import Principal
from marketing.domain import promotions as rules
from marketing.domain.promotions import Coupon, Promotion, PromotionKind
from marketing.operations.access import require_manager
from marketing.operations.issuing import issue_coupon
from marketing.store.promotions import CouponStore, PromotionStore


async def create_promotion(
    promotions: PromotionStore,
    principal: Principal,
    *,
    name: str,
    description: str | None,
    kind: PromotionKind,
    value: Decimal,
    valid_from: datetime,
    valid_until: datetime | None,
    bundle_items: list[str],
    auto_issue_on_tier: str | None,
    per_customer_limit: int,
    now: datetime,
) -> Promotion:
    promotion = Promotion(
        id=uuid.uuid4().hex,
        name=name,
        description=description,
        kind=kind,
        value=value,
        valid_from=valid_from,
        valid_until=valid_until,
        bundle_items=bundle_items,
        auto_issue_on_tier=auto_issue_on_tier,
        per_customer_limit=per_customer_limit,
        owner_id=principal.subject,
        team=principal.team,
        created_at=now,
    )
    rules.validate_terms(promotion.terms())
    await promotions.insert(promotion)
    return promotion


async def change_promotion(
    promotions: PromotionStore,
    principal: Principal,
    promotion_id: str,
    version: int | None,
    changes: Mapping[str, Any],
) -> Promotion:
    current = await promotions.require(promotion_id)
    require_manager(principal, current, "promotion")
    changed = current.model_copy(update=changes)
    rules.validate_terms(changed.terms())
    return await promotions.save(changed, current.version if version is None else version)


async def issue_manual_coupon(
    promotions: PromotionStore,
    coupons: CouponStore,
    *,
    promotion_id: str,
    customer_id: str | None,
    max_redemptions: int,
    code: str | None,
    now: datetime,
) -> Coupon:
    """A coupon a marketer issues: personal (``customer_id``) or shared, with a limit."""
    promotion = await promotions.require(promotion_id)
    coupon = await issue_coupon(
        coupons,
        promotion,
        customer_id=customer_id,
        max_redemptions=max_redemptions,
        reason="manual",
        now=now,
        code=rules.normalise_code(code) if code else None,
    )
    assert coupon is not None  # a fresh id is never taken
    return coupon


async def redeem_coupon(
    coupons: CouponStore,
    code: str,
    customer_id: str | None,
    order_id: str | None,
    now: datetime,
) -> Coupon:
    """Use a coupon once; :class:`~marketing.domain.promotions.CouponNotRedeemable` says
    why when it cannot be used."""
    normalised = rules.normalise_code(code)
    redeemed = await coupons.redeem(normalised, customer_id, order_id, now)
    if redeemed is not None:
        return redeemed
    coupon = await coupons.by_code(normalised)
    rules.check_redeemable(coupon.state(), customer_id, now)
    raise rules.CouponNotRedeemable("This coupon cannot be used now; try again.", field="code")
