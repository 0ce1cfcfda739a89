"""Issuing coupons: by a marketer through the API, or automatically on reaching SVIP."""

from __future__ import annotations

import uuid
from datetime import datetime

from crm_chassis.domain_errors import DuplicateValue
from marketing.domain.promotions import Coupon, Promotion, new_coupon, new_coupon_code
from marketing.store.promotions import CouponStore, PromotionStore

_CODE_ATTEMPTS = 5


async def issue_coupon(
    coupons: CouponStore,
    promotion: Promotion,
    *,
    customer_id: str | None,
    max_redemptions: int,
    reason: str,
    now: datetime,
    coupon_id: str | None = None,
    code: str | None = None,
) -> Coupon | None:
    """Create a coupon of ``promotion``; with a fixed ``coupon_id`` issuing is idempotent
    (None when that coupon exists already). A generated code that collides is redrawn."""
    coupon_id = coupon_id or uuid.uuid4().hex
    for _ in range(_CODE_ATTEMPTS if code is None else 1):
        coupon, events = new_coupon(
            coupon_id,
            code or new_coupon_code(),
            promotion,
            customer_id=customer_id,
            max_redemptions=max_redemptions,
            reason=reason,
            now=now,
        )
        try:
            return coupon if await coupons.issue(coupon, events) else None
        except DuplicateValue:
            continue
    raise DuplicateValue("code", "Could not allocate a unique coupon code; choose another code.")


async def issue_tier_coupons(
    promotions: PromotionStore, coupons: CouponStore, customer_id: str, tier: str, now: datetime
) -> int:
    """One coupon of each active promotion for ``tier``; repeat events issue nothing more."""
    issued = 0
    for promotion in await promotions.auto_issued_on(tier, now):
        coupon = await issue_coupon(
            coupons,
            promotion,
            customer_id=customer_id,
            max_redemptions=promotion.per_customer_limit or 1,
            reason=f"tier_reached:{tier}",
            now=now,
            coupon_id=f"tier-{tier}-{promotion.id}-{customer_id}",
        )
        issued += coupon is not None
    return issued
