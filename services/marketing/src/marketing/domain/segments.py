"""Segments (M-2): audiences by rules over the local customer projection, or static lists.

Rules combine with AND; the values inside one rule combine with OR (any of the
listed tiers), except ``tags_all``. :func:`matches` is the reference meaning of a
rule set; the store translates the same rules into a database query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from crm_chassis.domain_errors import RuleViolation


class Tier(StrEnum):
    NORMAL = "normal"
    VIP = "vip"
    SVIP = "svip"


TIER_PRIORITY: dict[str, int] = {Tier.SVIP: 0, Tier.VIP: 1, Tier.NORMAL: 2}
"""Send order: lower goes first (VIP and SVIP before Normal)."""


def tier_priority(tier: str | None) -> int:
    return TIER_PRIORITY.get((tier or Tier.NORMAL).lower(), TIER_PRIORITY[Tier.NORMAL])


class SegmentKind(StrEnum):
    RULES = "rules"
    STATIC = "static"


MAX_STATIC_MEMBERS = 50_000


@dataclass(frozen=True)
class SegmentRules:
    tiers: frozenset[str] = frozenset()
    tags_any: frozenset[str] = frozenset()
    tags_all: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    company_sizes: frozenset[str] = frozenset()
    min_consumption: Decimal | None = None
    max_consumption: Decimal | None = None
    active_within_days: int | None = None
    inactive_for_days: int | None = None


class Segment(BaseModel):
    """A segment as stored: its rules as given (see the API's rule model), or its list."""

    id: str
    name: str
    description: str | None = None
    kind: SegmentKind = SegmentKind.RULES
    rules: dict[str, Any] = {}
    customer_ids: list[str] = []
    owner_id: str | None = None
    team: str | None = None
    version: int = 1
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CustomerFacts:
    """The attributes a rule can look at, from the customer projection."""

    customer_id: str
    tier: str = Tier.NORMAL
    tags: frozenset[str] = field(default_factory=frozenset)
    region: str | None = None
    industry: str | None = None
    company_size: str | None = None
    total_consumption: Decimal = Decimal("0")
    last_activity_at: datetime | None = None


def stored_rules(rules: Mapping[str, Any]) -> SegmentRules:
    """The rules of a segment as stored (the API's rule model, dumped)."""

    def values(name: str) -> frozenset[str]:
        return frozenset(rules.get(name) or ())

    return SegmentRules(
        tiers=frozenset(t.lower() for t in values("tiers")),
        tags_any=values("tags_any"),
        tags_all=values("tags_all"),
        regions=values("regions"),
        industries=values("industries"),
        company_sizes=values("company_sizes"),
        min_consumption=rules.get("min_consumption"),
        max_consumption=rules.get("max_consumption"),
        active_within_days=rules.get("active_within_days"),
        inactive_for_days=rules.get("inactive_for_days"),
    )


def validate_rules(rules: SegmentRules) -> None:
    """Reject rule sets that can never match or make no sense."""
    if (
        rules.min_consumption is not None
        and rules.max_consumption is not None
        and rules.min_consumption > rules.max_consumption
    ):
        raise RuleViolation(
            "min_consumption must not exceed max_consumption.", field="rules.min_consumption"
        )
    if (
        rules.active_within_days is not None
        and rules.inactive_for_days is not None
        and rules.inactive_for_days >= rules.active_within_days
    ):
        raise RuleViolation(
            "A customer cannot be active within and inactive for those days at once.",
            field="rules.inactive_for_days",
        )
    unknown = rules.tiers - {tier.value for tier in Tier}
    if unknown:
        raise RuleViolation(f"Unknown tier(s): {', '.join(sorted(unknown))}.", field="rules.tiers")


def validate_static_members(customer_ids: list[str]) -> None:
    if len(customer_ids) > MAX_STATIC_MEMBERS:
        raise RuleViolation(
            f"A static list holds at most {MAX_STATIC_MEMBERS} customers.", field="customer_ids"
        )


def activity_bounds(rules: SegmentRules, now: datetime) -> tuple[datetime | None, datetime | None]:
    """(active since, inactive before): the last-activity window the rules ask for."""
    since = now - timedelta(days=rules.active_within_days) if rules.active_within_days else None
    before = now - timedelta(days=rules.inactive_for_days) if rules.inactive_for_days else None
    return since, before


def matches(rules: SegmentRules, customer: CustomerFacts, now: datetime) -> bool:
    """Whether one customer belongs to the audience the rules describe."""
    since, before = activity_bounds(rules, now)
    checks = (
        not rules.tiers or customer.tier in rules.tiers,
        not rules.tags_any or bool(rules.tags_any & customer.tags),
        rules.tags_all <= customer.tags,
        not rules.regions or customer.region in rules.regions,
        not rules.industries or customer.industry in rules.industries,
        not rules.company_sizes or customer.company_size in rules.company_sizes,
        rules.min_consumption is None or customer.total_consumption >= rules.min_consumption,
        rules.max_consumption is None or customer.total_consumption <= rules.max_consumption,
        since is None
        or (customer.last_activity_at is not None and customer.last_activity_at >= since),
        before is None or customer.last_activity_at is None or customer.last_activity_at < before,
    )
    return all(checks)
