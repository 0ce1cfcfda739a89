"""Facts on the chassis versioned store: one ``<kind>_facts`` collection per kind.

A fact document is the fact's fields, the fields derived from it for filtering and
sorting (``active``, ``lifetime_value``, ...) and the ids of the rollups it belongs to.
Live ingestion changes a fact with compare-and-set on its ``version``, so two events
folded at once into the same fact both count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from analytics.domain.facts import FACT_MODELS, Fact, FactKind
from analytics.domain.rollups import RollupKey, rollup_keys
from crm_chassis.domain_errors import RecordNotFound
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import VersionedStore
from crm_contracts.events.registry import EventData

# Many events of one busy customer may be folded at the same moment by the consumer's
# concurrent deliveries; each retry re-reads, so this only bounds a pathological race.
MAX_ATTEMPTS = 50

Derive = Callable[[Fact], dict[str, Any]]


def fact_document(fact: Fact, derive: Derive) -> Document:
    return {
        **fact.to_document(),
        **derive(fact),
        "rollup_keys": sorted(key.id for key in rollup_keys(fact)),
    }


class FactCodec:
    """A fact with its derived fields and rollup ids; read back as the fact alone."""

    def __init__(self, kind: FactKind, derive: Derive) -> None:
        self.model = FACT_MODELS[kind]
        self.derive = derive

    def to_document(self, aggregate: Fact) -> Document:
        return fact_document(aggregate, self.derive)

    def from_document(self, document: Mapping[str, Any]) -> Fact:
        return self.model.from_document(dict(document))


class FactStore(VersionedStore[Fact]):
    """The facts of one kind."""

    def __init__(self, collection: AsyncCollection[Document], kind: FactKind, derive: Derive):
        super().__init__(collection, FactCodec(kind, derive))

    async def change(self, fact_id: str, change: Callable[[Fact | None], Fact]) -> set[RollupKey]:
        """Apply ``change`` to the fact (``None`` when there is none yet); returns the
        rollups it belonged to before and after, which must be recomputed."""
        keys: set[RollupKey] = set()

        def apply(current: Fact) -> tuple[Fact, list[EventData]] | None:
            updated = change(current)
            keys.clear()  # only the attempt that was saved counts
            keys.update(rollup_keys(updated), rollup_keys(current))
            return None if updated == current else (updated, [])

        try:
            await self.update(fact_id, apply, attempts=MAX_ATTEMPTS)
        except RecordNotFound:
            created = change(None)
            try:
                await self.insert(created)
                return set(rollup_keys(created))
            except DuplicateKeyError:  # another event created it meanwhile: change that
                await self.update(fact_id, apply, attempts=MAX_ATTEMPTS)
        return keys
