"""Segment rules (M-2): the reference meaning and its database query agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.domain_errors import DomainError
from marketing.domain.segments import (
    CustomerFacts,
    SegmentRules,
    matches,
    tier_priority,
    validate_rules,
)
from marketing.store.segments import rules_query

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _customer(**fields: object) -> CustomerFacts:
    return CustomerFacts(customer_id="c1", **fields)  # type: ignore[arg-type]


def test_values_within_a_rule_are_alternatives_and_rules_all_apply() -> None:
    rules = SegmentRules(tiers=frozenset({"vip", "svip"}), regions=frozenset({"north"}))
    assert matches(rules, _customer(tier="vip", region="north"), NOW)
    assert not matches(rules, _customer(tier="vip", region="south"), NOW)
    assert not matches(rules, _customer(tier="normal", region="north"), NOW)


def test_tags_any_and_tags_all() -> None:
    tags = frozenset({"loyal", "new"})
    assert matches(SegmentRules(tags_any=frozenset({"new", "x"})), _customer(tags=tags), NOW)
    assert not matches(SegmentRules(tags_all=frozenset({"new", "x"})), _customer(tags=tags), NOW)


def test_consumption_bounds_are_inclusive() -> None:
    rules = SegmentRules(min_consumption=Decimal("1000"), max_consumption=Decimal("5000"))
    assert matches(rules, _customer(total_consumption=Decimal("1000")), NOW)
    assert not matches(rules, _customer(total_consumption=Decimal("5000.01")), NOW)


def test_inactive_customers_include_those_never_active() -> None:
    rules = SegmentRules(inactive_for_days=90)
    assert matches(rules, _customer(last_activity_at=None), NOW)
    assert matches(rules, _customer(last_activity_at=NOW - timedelta(days=100)), NOW)
    assert not matches(rules, _customer(last_activity_at=NOW - timedelta(days=10)), NOW)


def test_query_expresses_every_rule() -> None:
    rules = SegmentRules(
        tiers=frozenset({"vip"}),
        tags_all=frozenset({"a", "b"}),
        min_consumption=Decimal("10"),
        active_within_days=30,
    )
    clauses = rules_query(rules, NOW)["$and"]
    assert {"erased": {"$ne": True}} in clauses
    assert {"tier": {"$in": ["vip"]}} in clauses
    assert {"tags": {"$all": ["a", "b"]}} in clauses
    assert {"total_consumption": {"$gte": Decimal("10")}} in clauses
    assert {"last_activity_at": {"$gte": NOW - timedelta(days=30)}} in clauses


def test_contradictory_rules_are_refused() -> None:
    with pytest.raises(DomainError):
        validate_rules(SegmentRules(min_consumption=Decimal("5"), max_consumption=Decimal("1")))
    with pytest.raises(DomainError):
        validate_rules(SegmentRules(tiers=frozenset({"gold"})))


def test_higher_tiers_are_sent_first() -> None:
    assert tier_priority("svip") < tier_priority("vip") < tier_priority("normal")
    assert tier_priority(None) == tier_priority("normal")
    assert tier_priority("VIP") == tier_priority("vip")
