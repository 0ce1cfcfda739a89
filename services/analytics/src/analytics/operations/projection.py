"""Feeding the read models: live ingestion of one event, and rebuilds from the archive.

Both paths fold events with the same pure functions of :mod:`analytics.domain`, so
a rebuild reproduces what live ingestion built, whatever order events came in.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from analytics.domain.customer_value import lifetime_value
from analytics.domain.facts import CustomerFact, Fact, FactKind, fact_changes
from analytics.domain.rollups import RollupKey, merge_metrics, rollup_keys, summarize
from analytics.store.facts import Derive, fact_document
from analytics.store.read_models import AnalyticsStore, rollup_document
from crm_chassis.background import PeriodicWork
from crm_chassis.mongo import Document
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import EVENT_TYPES, parse_data

log = logging.getLogger(__name__)


def derivations(margin: Decimal, discount_rate: Decimal) -> Derive:
    """Fields stored beside a fact so lists can filter and sort on them."""

    def derive(fact: Fact) -> dict[str, Any]:
        if not isinstance(fact, CustomerFact):
            return {}
        return {
            "active": fact.active,
            "last_activity_at": fact.last_activity_at(),
            "lifetime_value": lifetime_value(fact, margin=margin, discount_rate=discount_rate),
        }

    return derive


class Projection:
    """Live ingestion: fold into facts, mark the touched rollups dirty, archive.

    Folds are idempotent, so a redelivered event changes nothing and the consumer
    keeps no ledger of processed events for this handler. The event is archived
    last: an archived event has been folded, and one that failed is redelivered.
    """

    def __init__(self, store: AnalyticsStore, derive: Derive, wake: Callable[[], None]) -> None:
        self.store = store
        self.derive = derive
        self.wake = wake

    async def ingest(self, event: CloudEvent) -> None:
        if event.type in EVENT_TYPES:
            await self._fold(event)
        await self.store.archive(event)

    async def _fold(self, event: CloudEvent) -> None:
        data = parse_data(event)
        keys: set[RollupKey] = set()
        for change in fact_changes(data):

            def fold(current: Fact | None, fold: Any = change.fold) -> Fact:
                result: Fact = fold(current, event.id, data)
                return result

            keys |= await self.store.update_fact(change.kind, change.fact_id, fold, self.derive)
        await self.store.mark_dirty(keys)
        self.wake()


class RollupRefresher(PeriodicWork):
    """Recomputes dirty rollups in the background, woken after each ingested event."""

    def __init__(self, store: AnalyticsStore, interval_seconds: float) -> None:
        # Rounds at most every interval: the rollups touched by many events in between
        # are then recomputed once, in one batch.
        super().__init__(
            "rollup-refresher", self.refresh_all, interval_seconds, min_gap=interval_seconds
        )
        self.store = store
        self._ingested = False

    def wake(self) -> None:
        self._ingested = True
        super().wake()

    async def refresh_all(self) -> int:
        """Recompute every dirty rollup, then retire the stored dashboards if anything
        was ingested or recomputed since the last round."""
        changed, self._ingested = self._ingested, False
        refreshed = 0
        while claimed := await self.store.refresh_rollups():
            refreshed += claimed
        if changed or refreshed:
            await self.store.next_generation()
        return refreshed


@dataclass(frozen=True)
class RebuildSummary:
    events: int
    skipped: int
    facts: int
    rollups: int


async def rebuild(store: AnalyticsStore, derive: Derive) -> RebuildSummary:
    """Empty the read models and fold the whole archive into them again.

    Run it while the service's consumer is stopped (scaled to zero): events
    ingested during a rebuild could be folded and then cleared.
    """
    await store.clear_read_models()
    facts: dict[tuple[FactKind, str], Fact] = {}
    events = skipped = 0
    async for event in store.archived():
        events += 1
        if event.type not in EVENT_TYPES:
            continue
        try:
            data = parse_data(event)
        except ValidationError:
            skipped += 1  # not foldable by today's contracts: live ingestion refuses it too
            continue
        for change in fact_changes(data):
            slot = (change.kind, change.fact_id)
            facts[slot] = change.fold(facts.get(slot), event.id, data)
    documents: dict[FactKind, list[Document]] = defaultdict(list)
    members: dict[RollupKey, list[Fact]] = defaultdict(list)
    for (kind, _), fact in sorted(facts.items()):
        documents[kind].append(fact_document(fact, derive))
        for key in rollup_keys(fact):
            members[key].append(fact)
    leaves = {key: summarize(key.family, group) for key, group in members.items()}
    parts: dict[RollupKey, list[dict[str, Any]]] = defaultdict(list)
    for key in sorted(leaves, key=lambda k: k.id):
        parts[key.total].append(leaves[key])
    totals = {key: merge_metrics(key.family, metrics) for key, metrics in parts.items()}
    rollups = [rollup_document(key, metrics) for key, metrics in (leaves | totals).items()]
    await store.insert_read_models(documents, rollups)
    return RebuildSummary(events=events, skipped=skipped, facts=len(facts), rollups=len(rollups))
