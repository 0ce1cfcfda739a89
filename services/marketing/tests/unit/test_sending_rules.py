"""Send queue rules (M-4), consent (M-5) and coupons (M-6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.domain_errors import DomainError
from marketing.domain.consent import may_send
from marketing.domain.deliveries import message_id, retry_delay, window_start
from marketing.domain.promotions import (
    CouponNotRedeemable,
    CouponState,
    PromotionKind,
    PromotionTerms,
    check_redeemable,
    normalise_code,
    validate_terms,
)

NOW = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    delays = [retry_delay(n, base_seconds=5, max_seconds=60).total_seconds() for n in (1, 2, 3, 5)]
    assert delays == [5, 10, 20, 60]


def test_throttle_window_is_the_current_minute() -> None:
    assert window_start(NOW) == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_message_id_is_stable_per_delivery() -> None:
    assert message_id("d1", "crm.example.org") == message_id("d1", "crm.example.org")


def test_nothing_goes_to_the_unsubscribed_or_suppressed() -> None:
    assert may_send(subscribed=None, suppressed=False, has_address=True)
    assert not may_send(subscribed=False, suppressed=False, has_address=True)
    assert not may_send(subscribed=True, suppressed=True, has_address=True)
    assert not may_send(subscribed=True, suppressed=False, has_address=False)


def _coupon(**fields: object) -> CouponState:
    values: dict[str, object] = {
        "customer_id": None,
        "redemptions": 0,
        "max_redemptions": 1,
        "valid_from": NOW - timedelta(days=1),
        "valid_until": None,
    }
    values.update(fields)
    return CouponState(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "customer", "reason"),
    [
        (_coupon(redemptions=1), None, "used up"),
        (_coupon(valid_until=NOW), None, "expired"),
        (_coupon(valid_from=NOW + timedelta(hours=1)), None, "not valid yet"),
        (_coupon(customer_id="c1"), "c2", "another customer"),
        (_coupon(revoked=True), None, "revoked"),
    ],
)
def test_coupon_explains_why_it_cannot_be_used(
    state: CouponState, customer: str | None, reason: str
) -> None:
    with pytest.raises(CouponNotRedeemable, match=reason):
        check_redeemable(state, customer, NOW)


def test_valid_coupon_can_be_redeemed() -> None:
    check_redeemable(_coupon(customer_id="c1"), "c1", NOW)


def test_codes_are_normalised() -> None:
    assert normalise_code(" spring-2026 ") == "SPRING2026"


def test_promotion_terms_are_checked() -> None:
    valid = PromotionTerms(PromotionKind.BUNDLE, Decimal("99"), NOW, None, ("a", "b"))
    validate_terms(valid)
    with pytest.raises(DomainError):
        validate_terms(PromotionTerms(PromotionKind.BUNDLE, Decimal("99"), NOW, None, ("a",)))
    with pytest.raises(DomainError):
        validate_terms(PromotionTerms(PromotionKind.LOYALTY_POINTS, Decimal("1.5"), NOW, None))
