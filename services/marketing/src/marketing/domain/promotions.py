"""Promotions and coupons (M-6): discounts, bundles, loyalty points, coupon codes.

A coupon belongs to a promotion, may be personal (one customer) and has a limit
on redemptions; it is valid within its promotion's dates. Customers who reach
SVIP automatically get a coupon of every active promotion marked for that tier.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from crm_chassis.domain_errors import RuleViolation
from crm_contracts.events.marketing import CouponIssued
from crm_contracts.events.registry import EventData

AUTO_ISSUE_TIER = "svip"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely
CODE_LENGTH = 10


class PromotionKind(StrEnum):
    PERCENTAGE_DISCOUNT = "percentage_discount"
    FIXED_DISCOUNT = "fixed_discount"
    BUNDLE = "bundle"
    LOYALTY_POINTS = "loyalty_points"


@dataclass(frozen=True)
class PromotionTerms:
    kind: PromotionKind
    value: Decimal
    valid_from: datetime
    valid_until: datetime | None
    bundle_items: tuple[str, ...] = ()


class Promotion(BaseModel):
    id: str
    name: str
    description: str | None = None
    kind: PromotionKind
    value: Decimal
    valid_from: datetime
    valid_until: datetime | None = None
    bundle_items: list[str] = []
    auto_issue_on_tier: str | None = None
    per_customer_limit: int = 1
    owner_id: str | None = None
    team: str | None = None
    version: int = 1
    created_at: datetime

    def terms(self) -> PromotionTerms:
        return PromotionTerms(
            self.kind, self.value, self.valid_from, self.valid_until, tuple(self.bundle_items)
        )


class Redeemed(BaseModel):
    at: datetime
    customer_id: str | None = None
    order_id: str | None = None


class Coupon(BaseModel):
    """A code of a promotion; ``remaining`` uses are taken by one conditional write."""

    id: str
    code: str
    promotion_id: str
    customer_id: str | None = None
    max_redemptions: int
    remaining: int
    redemptions: int = 0
    redeemed: list[Redeemed] = []
    valid_from: datetime
    valid_until: datetime | None = None
    reason: str | None = None
    revoked: bool = False
    version: int = 1
    issued_at: datetime

    def state(self) -> CouponState:
        return CouponState(
            customer_id=self.customer_id,
            redemptions=self.redemptions,
            max_redemptions=self.max_redemptions,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            revoked=self.revoked,
        )


@dataclass(frozen=True)
class CouponState:
    customer_id: str | None
    redemptions: int
    max_redemptions: int
    valid_from: datetime
    valid_until: datetime | None
    revoked: bool = False


class CouponNotRedeemable(RuleViolation):
    """A coupon that cannot be used now, with the reason."""


def validate_terms(terms: PromotionTerms) -> None:
    if terms.valid_until is not None and terms.valid_until <= terms.valid_from:
        raise RuleViolation("valid_until must be after valid_from.", field="valid_until")
    if terms.value <= 0:
        raise RuleViolation("value must be positive.", field="value")
    if terms.kind is PromotionKind.PERCENTAGE_DISCOUNT and terms.value > 100:
        raise RuleViolation("A percentage discount is at most 100.", field="value")
    if terms.kind is PromotionKind.LOYALTY_POINTS and terms.value != terms.value.to_integral():
        raise RuleViolation("Loyalty points are whole numbers.", field="value")
    if terms.kind is PromotionKind.BUNDLE and len(terms.bundle_items) < 2:
        raise RuleViolation("A bundle names at least two products.", field="bundle_items")


def is_active(valid_from: datetime, valid_until: datetime | None, now: datetime) -> bool:
    return valid_from <= now and (valid_until is None or now < valid_until)


def new_coupon_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return code.strip().upper().replace("-", "")


def check_redeemable(coupon: CouponState, customer_id: str | None, now: datetime) -> None:
    """Explain why a coupon cannot be redeemed; returns quietly when it can."""
    if coupon.revoked:
        raise CouponNotRedeemable("This coupon was revoked.", field="code")
    if now < coupon.valid_from:
        raise CouponNotRedeemable("This coupon is not valid yet.", field="code")
    if coupon.valid_until is not None and now >= coupon.valid_until:
        raise CouponNotRedeemable("This coupon has expired.", field="code")
    if coupon.customer_id is not None and coupon.customer_id != customer_id:
        raise CouponNotRedeemable("This coupon belongs to another customer.", field="customer_id")
    if coupon.redemptions >= coupon.max_redemptions:
        raise CouponNotRedeemable("This coupon has been used up.", field="code")


def new_coupon(
    coupon_id: str,
    code: str,
    promotion: Promotion,
    *,
    customer_id: str | None,
    max_redemptions: int,
    reason: str,
    now: datetime,
) -> tuple[Coupon, list[EventData]]:
    """A coupon valid within its promotion's dates; a personal one is announced (the
    customer's timeline shows it)."""
    coupon = Coupon(
        id=coupon_id,
        code=code,
        promotion_id=promotion.id,
        customer_id=customer_id,
        max_redemptions=max_redemptions,
        remaining=max_redemptions,
        valid_from=promotion.valid_from,
        valid_until=promotion.valid_until,
        reason=reason,
        issued_at=now,
    )
    events: list[EventData] = []
    if customer_id:
        events.append(coupon_issued(coupon_id, code, customer_id, promotion.id, reason, now))
    return coupon, events


def coupon_issued(
    coupon_id: str, code: str, customer_id: str, promotion_id: str, reason: str, now: datetime
) -> EventData:
    return CouponIssued(
        coupon_id=coupon_id,
        code=code,
        customer_id=customer_id,
        promotion_id=promotion_id,
        reason=reason,
        issued_at=now,
    )
