"""Issuing coupons: by a marketer through the API, or automatically on reaching SVIP."""

from __future__ import annotations

import uuid
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.errors import Conflict
from crm_chassis.mongo import Document
from marketing.domain.promotions import coupon_issued, new_coupon_code
from marketing.store import promotions

_CODE_ATTEMPTS = 5


async def issue_coupon(
    db: AsyncDatabase[Document],
    promotion: Document,
    *,
    customer_id: str | None,
    max_redemptions: int,
    reason: str,
    now: datetime,
    coupon_id: str | None = None,
    code: str | None = None,
) -> Document | None:
    """Create a coupon of ``promotion``; with a fixed ``coupon_id`` issuing is idempotent
    (None when that coupon exists already). A generated code that collides is redrawn."""
    coupon_id = coupon_id or uuid.uuid4().hex
    for _ in range(_CODE_ATTEMPTS if code is None else 1):
        document: Document = {
            "_id": coupon_id,
            "code": code or new_coupon_code(),
            "promotion_id": promotion["_id"],
            "customer_id": customer_id,
            "max_redemptions": max_redemptions,
            "remaining": max_redemptions,
            "redemptions": 0,
            "redeemed": [],
            "valid_from": promotion["valid_from"],
            "valid_until": promotion.get("valid_until"),
            "reason": reason,
            "revoked": False,
            "version": 1,
            "issued_at": now,
        }
        events = (
            [coupon_issued(coupon_id, document["code"], customer_id, promotion["_id"], reason, now)]
            if customer_id
            else []
        )
        if await promotions.insert_coupon(db, document, events):
            return document
        if await promotions.coupon_exists(db, coupon_id):
            return None
    raise Conflict("Could not allocate a unique coupon code; choose another code.")


async def issue_tier_coupons(
    db: AsyncDatabase[Document], customer_id: str, tier: str, now: datetime
) -> int:
    """One coupon of each active promotion for ``tier``; repeat events issue nothing more."""
    issued = 0
    for promotion in await promotions.auto_issue_promotions(db, tier, now):
        coupon = await issue_coupon(
            db,
            promotion,
            customer_id=customer_id,
            max_redemptions=int(promotion.get("per_customer_limit") or 1),
            reason=f"tier_reached:{tier}",
            now=now,
            coupon_id=f"tier-{tier}-{promotion['_id']}-{customer_id}",
        )
        issued += coupon is not None
    return issued
