"""Consumption facts (C-2) and the member tier they decide (C-3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

CENT = Decimal("0.01")
VIP_FROM = Decimal("1000")
SVIP_FROM = Decimal("5000")
YEAR = timedelta(days=365)


class Tier(StrEnum):
    NORMAL = "normal"
    VIP = "vip"
    SVIP = "svip"


# The tier rule in words, for the API document (C-3).
TIER_THRESHOLDS = f"normal below {VIP_FROM}, vip from {VIP_FROM}, svip from {SVIP_FROM}"
TIER_RULE = (
    "Member tier, from the total consumption (the sum of the payments received): "
    f"{TIER_THRESHOLDS}. Recomputed with every payment; never set by hand."
)


def tier_for(total: Decimal) -> Tier:
    """Normal < 1000 <= VIP < 5000 <= SVIP."""
    if total >= SVIP_FROM:
        return Tier.SVIP
    if total >= VIP_FROM:
        return Tier.VIP
    return Tier.NORMAL


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class TierMove(BaseModel):
    """The tier change counting a payment made, kept with the payment in the same write:
    a redelivery that finds the payment counted can still write its timeline and audit
    entries (keyed by ``version``) when the run that counted it died before them."""

    model_config = ConfigDict(frozen=True)

    version: int  # the customer's version that counted the payment
    previous_tier: Tier
    tier: Tier
    total: Decimal
    changed_at: datetime


class Payment(BaseModel):
    """A payment counted in the facts; its id makes counting it idempotent."""

    model_config = ConfigDict(frozen=True)

    payment_id: str
    amount: Decimal
    paid_at: datetime
    tier_move: TierMove | None = None


class Consumption(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: Decimal = Decimal("0.00")
    last_consumption_at: datetime | None = None
    payments: tuple[Payment, ...] = ()

    def counts(self, payment_id: str) -> bool:
        return self.payment(payment_id) is not None

    def payment(self, payment_id: str) -> Payment | None:
        return next((paid for paid in self.payments if paid.payment_id == payment_id), None)

    def with_payment(self, payment: Payment) -> Consumption:
        """The facts after one more payment; an already counted payment changes nothing."""
        if self.counts(payment.payment_id):
            return self
        last = self.last_consumption_at
        return Consumption(
            total=money(self.total + payment.amount),
            last_consumption_at=payment.paid_at if last is None else max(last, payment.paid_at),
            payments=(*self.payments, payment),
        )

    def combined(self, other: Consumption) -> Consumption:
        """Both customers' payments, each counted once (merging duplicates, C-9). The
        other's tier moves stay its own history: they name its versions, not ours."""
        result = self
        for payment in other.payments:
            result = result.with_payment(payment.model_copy(update={"tier_move": None}))
        return result

    def purchases_in_year_before(self, now: datetime) -> int:
        """Purchase frequency per year: payments in the 365 days up to ``now``."""
        return sum(1 for payment in self.payments if now - YEAR <= payment.paid_at <= now)
