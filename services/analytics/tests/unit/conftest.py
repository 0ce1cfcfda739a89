"""Unit tier: domain rules only, no servers."""

from __future__ import annotations

from collections import defaultdict

from analytics.domain.facts import Fact, FactKind, fact_changes
from analytics.domain.reports import Rollup
from analytics.domain.rollups import Family, RollupKey, rollup_keys, summarize
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import parse_data


def fold_all(events: list[CloudEvent]) -> dict[tuple[FactKind, str], Fact]:
    """Fold events in the given order, as live ingestion would one by one."""
    facts: dict[tuple[FactKind, str], Fact] = {}
    for event in events:
        data = parse_data(event)
        for change in fact_changes(data):
            slot = (change.kind, change.fact_id)
            facts[slot] = change.fold(facts.get(slot), event.id, data)
    return facts


def rollups_of(events: list[CloudEvent]) -> dict[Family, list[Rollup]]:
    """The rollups of the folded events, computed in memory as a rebuild does."""
    members: dict[RollupKey, list[Fact]] = defaultdict(list)
    for fact in fold_all(events).values():
        for key in rollup_keys(fact):
            members[key].append(fact)
    by_family: dict[Family, list[Rollup]] = defaultdict(list)
    for key, facts in members.items():
        by_family[key.family].append(Rollup(key=key, metrics=summarize(key.family, facts)))
    return by_family
