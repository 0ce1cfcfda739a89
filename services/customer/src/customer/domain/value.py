"""Value and segmentation (C-6): an RFM score and the segment tags it implies.

Each segment is a rule over the stored facts (total, payments and their times, when
the customer was created) at a moment, so the store can select a segment's members
with a query (:class:`SegmentRule`) that agrees with the segments a profile shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

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
    segments = tuple(
        segment.value
        for segment in ValueSegment
        if SEGMENT_RULES[segment].matches(consumption, created_at, now)
    )
    return ValueScore(recency, frequency, monetary, score, segments)


class ValueSegment(StrEnum):
    HIGH_VALUE = "high value"
    LOYAL = "loyal"
    NEW = "new"
    AT_RISK = "at risk"
    PRICE_SENSITIVE = "price sensitive"


@dataclass(frozen=True)
class SegmentRule:
    """Who is in a segment at ``now``; every condition given must hold.

    ``idle_over_days``: no purchase, or none in more than that many whole days.
    """

    total_from: Decimal | None = None
    total_below: Decimal | None = None
    purchases_in_year_from: int | None = None
    idle_over_days: int | None = None
    created_within: timedelta | None = None

    def matches(self, consumption: Consumption, created_at: datetime, now: datetime) -> bool:
        total = consumption.total
        if self.total_from is not None and total < self.total_from:
            return False
        if self.total_below is not None and total >= self.total_below:
            return False
        wanted = self.purchases_in_year_from
        if wanted is not None and consumption.purchases_in_year_before(now) < wanted:
            return False
        if self.idle_over_days is not None:
            last = consumption.last_consumption_at
            if last is not None and max((now - last).days, 0) <= self.idle_over_days:
                return False
        return self.created_within is None or now - created_at <= self.created_within


# From the score thresholds: high value is monetary >= 4, loyal frequency >= 4,
# at risk recency <= 2 with frequency >= 3, price sensitive monetary <= 2 with
# frequency >= 3 (which implies some payments).
SEGMENT_RULES: dict[ValueSegment, SegmentRule] = {
    ValueSegment.HIGH_VALUE: SegmentRule(total_from=MONETARY[1]),
    ValueSegment.LOYAL: SegmentRule(purchases_in_year_from=int(FREQUENCY_PER_YEAR[1])),
    ValueSegment.NEW: SegmentRule(created_within=NEW_FOR),
    ValueSegment.AT_RISK: SegmentRule(
        idle_over_days=RECENCY_DAYS[2], purchases_in_year_from=int(FREQUENCY_PER_YEAR[2])
    ),
    ValueSegment.PRICE_SENSITIVE: SegmentRule(
        total_below=MONETARY[2], purchases_in_year_from=int(FREQUENCY_PER_YEAR[2])
    ),
}
