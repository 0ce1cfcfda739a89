"""The consumed-event table and its handler, called with the parts passed in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import cast

from analytics.components import Components
from analytics.domain.facts import CustomerFact, Fact, FactKind
from analytics.domain.rollups import RollupKey, rollup_keys
from analytics.handlers import HANDLERS, ingest
from analytics.operations.projection import Projection
from analytics.store.read_models import AnalyticsStore, Derive
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import EVENT_TYPES

from ..factories import customer_created, envelope


class MemoryReadModels(AnalyticsStore):
    """The store's write side kept in memory: what ingestion folds and archives."""

    def __init__(self) -> None:
        self.facts_by_id: dict[tuple[FactKind, str], Fact] = {}
        self.dirty: set[RollupKey] = set()
        self.archived_ids: list[str] = []

    async def update_fact(
        self, kind: FactKind, fact_id: str, change: Callable[[Fact | None], Fact], derive: Derive
    ) -> set[RollupKey]:
        current = self.facts_by_id.get((kind, fact_id))
        updated = change(current)
        self.facts_by_id[kind, fact_id] = updated
        return set(rollup_keys(updated)) | (set(rollup_keys(current)) if current else set())

    async def mark_dirty(self, keys: Iterable[RollupKey]) -> None:
        self.dirty |= set(keys)

    async def archive(self, event: CloudEvent) -> bool:
        if event.id in self.archived_ids:
            return False
        self.archived_ids.append(event.id)
        return True


def parts_with(store: MemoryReadModels, woken: list[bool]) -> Components:
    """Components with only what the handler uses (the projection over ``store``)."""
    projection = Projection(store, lambda fact: {}, lambda: woken.append(True))
    return cast(Components, SimpleNamespace(projection=projection))


def test_the_table_gives_every_type_the_idempotent_ingest_even_types_not_known_yet() -> None:
    assert list(HANDLERS) == sorted(EVENT_TYPES)
    assert "crm.someone.new.thing.v1" in HANDLERS
    row = HANDLERS["crm.someone.new.thing.v1"]
    assert row.run is ingest
    assert row.idempotent is True


async def test_ingest_folds_the_event_into_its_fact_marks_its_rollups_and_archives_it() -> None:
    store, woken = MemoryReadModels(), list[bool]()
    event = envelope(customer_created("c-7"))

    await ingest(event, parts_with(store, woken))

    fact = store.facts_by_id[FactKind.CUSTOMER, "c-7"]
    assert isinstance(fact, CustomerFact)
    assert store.dirty == set(rollup_keys(fact))
    assert store.archived_ids == [event.id]
    assert woken == [True]


async def test_ingest_archives_an_event_of_an_unknown_type_without_folding_it() -> None:
    store, woken = MemoryReadModels(), list[bool]()
    known = envelope(customer_created("c-8"))
    unknown = known.model_copy(update={"type": "crm.someone.new.thing.v1"})

    await ingest(unknown, parts_with(store, woken))

    assert store.facts_by_id == {}
    assert store.archived_ids == [unknown.id]
    assert woken == []
