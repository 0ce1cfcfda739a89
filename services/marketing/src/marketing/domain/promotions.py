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

from crm_contracts.envelope import CloudEvent
from crm_contracts.events.marketing import CouponIssued
from crm_contracts.events.registry import to_cloud_event
from marketing.domain.errors import DomainError

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


@dataclass(frozen=True)
class CouponState:
    customer_id: str | None
    redemptions: int
    max_redemptions: int
    valid_from: datetime
    valid_until: datetime | None
    revoked: bool = False


class CouponNotRedeemable(DomainError):
    """A coupon that cannot be used now, with the reason."""


def validate_terms(terms: PromotionTerms) -> None:
    if terms.valid_until is not None and terms.valid_until <= terms.valid_from:
        raise DomainError("valid_until must be after valid_from.", field="valid_until")
    if terms.value <= 0:
        raise DomainError("value must be positive.", field="value")
    if terms.kind is PromotionKind.PERCENTAGE_DISCOUNT and terms.value > 100:
        raise DomainError("A percentage discount is at most 100.", field="value")
    if terms.kind is PromotionKind.LOYALTY_POINTS and terms.value != terms.value.to_integral():
        raise DomainError("Loyalty points are whole numbers.", field="value")
    if terms.kind is PromotionKind.BUNDLE and len(terms.bundle_items) < 2:
        raise DomainError("A bundle names at least two products.", field="bundle_items")


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


def coupon_issued(
    coupon_id: str, code: str, customer_id: str, promotion_id: str, reason: str, now: datetime
) -> CloudEvent:
    data = CouponIssued(
        coupon_id=coupon_id,
        code=code,
        customer_id=customer_id,
        promotion_id=promotion_id,
        reason=reason,
        issued_at=now,
    )
    return to_cloud_event(data, subject=coupon_id)
