"""Value and segmentation (C-6): an RFM score and the segment tags it implies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from customer.domain.consumption import Consumption

NEW_FOR = timedelta(days=30)
# Upper bounds of score 5, 4, 3, 2 (below the last: 1).
RECENCY_DAYS = (30, 90, 180, 365)
FREQUENCY_PER_YEAR = (Decimal(12), Decimal(6), Decimal(3), Decimal(1))
MONETARY = (Decimal(10_000), Decimal(5_000), Decimal(1_000), Decimal(200))


@dataclass(frozen=True)
class ValueScore:
    recency: int
    frequency: int
    monetary: int
    score: int  # 0-100
    segments: tuple[str, ...]


def _recency_score(days: int | None) -> int:
    if days is None:
        return 1
    for score, bound in zip((5, 4, 3, 2), RECENCY_DAYS, strict=True):
        if days <= bound:
            return score
    return 1


def _at_least_score(value: Decimal, thresholds: tuple[Decimal, ...]) -> int:
    for score, bound in zip((5, 4, 3, 2), thresholds, strict=True):
        if value >= bound:
            return score
    return 1


def value_score(consumption: Consumption, created_at: datetime, now: datetime) -> ValueScore:
    """R, F, M each 1-5; the score is their sum scaled to 0-100 (3 -> 0, 15 -> 100)."""
    last = consumption.last_consumption_at
    days = None if last is None else max((now - last).days, 0)
    recency = _recency_score(days)
    frequency = _at_least_score(
        Decimal(consumption.purchases_in_year_before(now)), FREQUENCY_PER_YEAR
    )
    monetary = _at_least_score(consumption.total, MONETARY)
    score = round((recency + frequency + monetary - 3) * 100 / 12)
    segments: list[str] = []
    if monetary >= 4:
        segments.append("high value")
    if frequency >= 4:
        segments.append("loyal")
    if now - created_at <= NEW_FOR:
        segments.append("new")
    if recency <= 2 and frequency >= 3:
        segments.append("at risk")
    if consumption.payments and monetary <= 2 and frequency >= 3:
        segments.append("price sensitive")
    return ValueScore(recency, frequency, monetary, score, tuple(segments))
