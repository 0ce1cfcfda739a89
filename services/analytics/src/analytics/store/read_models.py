"""The read models: the event archive, facts, rollups and stored dashboards of one
analytics database (collections in :mod:`analytics.store.collections`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import DeleteOne, ReplaceOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from analytics.domain.facts import FACT_MODELS, Fact, FactKind
from analytics.domain.reports import Rollup
from analytics.domain.rollups import (
    ALL,
    COUNTED,
    FAMILY_FACTS,
    Family,
    RollupKey,
    merge_metrics,
    rollup_keys,
    summarize,
)
from analytics.store.collections import (
    ARCHIVE,
    DASHBOARDS,
    DIRTY,
    EPOCH,
    READ_MODEL_COLLECTIONS,
    ROLLUPS,
    facts_collection,
)
from analytics.store.facts import Derive, FactStore
from crm_chassis.mongo import Document, is_duplicate_key
from crm_contracts.envelope import CloudEvent

GENERATION = "generation"


def archive_document(event: CloudEvent) -> Document:
    return {
        "_id": event.id,
        "type": event.type,
        "source": event.source,
        "subject": event.subject,
        "time": event.time,
        # One JSON string rather than a nested document: the archive is only ever read
        # whole, and a string is far cheaper to store and decode.
        "envelope": event.model_dump_json(exclude_none=True),
    }


class AnalyticsStore:
    """Archive, facts and rollups of one analytics database."""

    def __init__(self, db: AsyncDatabase[Document], *, lease: timedelta = timedelta(seconds=30)):
        self.db = db
        self.lease = lease

    def _facts(self, kind: FactKind) -> AsyncCollection[Document]:
        return self.db[facts_collection(kind)]

    async def archive(self, event: CloudEvent) -> bool:
        """Store the event once; False when it was already archived."""
        try:
            await self.db[ARCHIVE].insert_one(archive_document(event))
        except Exception as error:
            if is_duplicate_key(error):
                return False
            raise
        return True

    async def archived(self, batch_size: int = 5000) -> AsyncIterator[CloudEvent]:
        """Every archived event, in storage order: folds do not depend on the order, and
        sorting a large archive would cost the server more than the whole replay."""
        cursor = self.db[ARCHIVE].find({}, {"envelope": 1})
        async for document in cursor.batch_size(batch_size):
            yield CloudEvent.model_validate_json(document["envelope"])

    async def archive_many(self, events: Sequence[CloudEvent]) -> None:
        """Bulk archiving (rebuild tests and benchmarks); duplicates are skipped."""
        try:
            await self.db[ARCHIVE].insert_many(
                [archive_document(event) for event in events], ordered=False
            )
        except BulkWriteError as error:
            if any(e.get("code") != 11000 for e in error.details.get("writeErrors", [])):
                raise

    async def count_archived(self) -> int:
        return await self.db[ARCHIVE].count_documents({})

    async def update_fact(
        self, kind: FactKind, fact_id: str, change: Callable[[Fact | None], Fact], derive: Derive
    ) -> set[RollupKey]:
        """Apply ``change`` to the fact (see :meth:`FactStore.change`); returns the rollups
        it belonged to before and after, which must be recomputed."""
        return await FactStore(self._facts(kind), kind, derive).change(fact_id, change)

    async def adopt_revisions(self) -> int:
        """Facts stored before versions moved to the chassis store counted them in
        ``rev``: rename it to ``version`` (once; afterwards nothing matches)."""
        renamed = 0
        for kind in FactKind:
            result = await self._facts(kind).update_many(
                {"rev": {"$exists": True}}, {"$rename": {"rev": "version"}}
            )
            renamed += result.modified_count
        return renamed

    async def facts(self, kind: FactKind, query: Mapping[str, Any] | None = None) -> list[Fact]:
        model = FACT_MODELS[kind]
        return [model.from_document(d) async for d in self._facts(kind).find(dict(query or {}))]

    async def fact_page(
        self,
        kind: FactKind,
        query: Mapping[str, Any],
        sort: list[tuple[str, int]],
        offset: int,
        limit: int,
    ) -> tuple[list[Fact], int]:
        model, collection = FACT_MODELS[kind], self._facts(kind)
        total = await collection.count_documents(dict(query))
        cursor = collection.find(dict(query)).sort(sort).skip(offset).limit(limit)
        return [model.from_document(d) async for d in cursor], total

    async def fact(self, kind: FactKind, fact_id: str) -> Fact | None:
        document = await self._facts(kind).find_one({"_id": fact_id})
        return FACT_MODELS[kind].from_document(document) if document else None

    async def mark_dirty(self, keys: Iterable[RollupKey]) -> None:
        operations = [
            UpdateOne(
                {"_id": key.id},
                {"$inc": {"gen": 1}, "$setOnInsert": {**key.to_document(), "lease_until": EPOCH}},
                upsert=True,
            )
            for key in sorted(keys, key=lambda k: k.id)
        ]
        if operations:
            await self.db[DIRTY].bulk_write(operations, ordered=False)

    async def refresh_rollups(self, limit: int = 200) -> int:
        """Recompute up to ``limit`` dirty rollups; returns how many were claimed.

        Claims are leased with a token so several workers share the work; a rollup
        marked dirty again while it was being recomputed stays dirty (its ``gen``
        moved) and is recomputed in a later round.
        """
        now = datetime.now(UTC)
        dirty = self.db[DIRTY]
        candidates = await dirty.find({"lease_until": {"$lte": now}}, {"_id": 1}).to_list(limit)
        if not candidates:
            return 0
        token = uuid.uuid4().hex
        await dirty.update_many(
            {"_id": {"$in": [c["_id"] for c in candidates]}, "lease_until": {"$lte": now}},
            {"$set": {"lease_until": now + self.lease, "lease_owner": token}},
        )
        claimed = await dirty.find({"lease_owner": token}).to_list(None)
        keys = {RollupKey.from_document(document): int(document["gen"]) for document in claimed}
        leaves = [key for key in keys if not key.is_total]
        totals = [key for key in keys if key.is_total]
        written = await self._summarize_leaves(leaves)
        written.update(await self._summarize_totals(totals))
        operations: list[ReplaceOne[Document] | DeleteOne] = [
            ReplaceOne({"_id": key.id}, rollup_document(key, metrics), upsert=True)
            if metrics is not None
            else DeleteOne({"_id": key.id})
            for key, metrics in sorted(written.items(), key=lambda item: item[0].id)
        ]
        if operations:
            await self.db[ROLLUPS].bulk_write(operations, ordered=False)
        await self.mark_dirty({key.total for key in leaves})
        await dirty.bulk_write(
            [DeleteOne({"_id": key.id, "gen": gen}) for key, gen in keys.items()], ordered=False
        )
        await dirty.update_many({"lease_owner": token}, {"$set": {"lease_until": EPOCH}})
        return len(keys)

    async def _summarize_leaves(
        self, keys: Sequence[RollupKey]
    ) -> dict[RollupKey, dict[str, Any] | None]:
        """Leaf rollups from the facts that name them (None: no fact does any more)."""
        result: dict[RollupKey, dict[str, Any] | None] = {}
        by_kind: dict[FactKind, dict[str, RollupKey]] = defaultdict(dict)
        for key in keys:
            if key.family in COUNTED:
                collection = self._facts(FAMILY_FACTS[key.family])
                count = await collection.count_documents({"rollup_keys": key.id})
                result[key] = {COUNTED[key.family]: count} if count else None
            else:
                by_kind[FAMILY_FACTS[key.family]][key.id] = key
        members: dict[RollupKey, list[Fact]] = {
            key: [] for wanted in by_kind.values() for key in wanted.values()
        }
        for kind, wanted in by_kind.items():
            for fact in await self.facts(kind, {"rollup_keys": {"$in": sorted(wanted)}}):
                for key in rollup_keys(fact):
                    if key.id in wanted:
                        members[key].append(fact)
        for key, facts in members.items():
            result[key] = summarize(key.family, facts) if facts else None
        return result

    async def _summarize_totals(
        self, keys: Sequence[RollupKey]
    ) -> dict[RollupKey, dict[str, Any] | None]:
        """Totals from the leaf rollups of their family and period."""
        result: dict[RollupKey, dict[str, Any] | None] = {}
        for key in keys:
            query = {
                "family": key.family.value,
                "period": {"$gte": key.period, "$lt": key.period + "~"},
                "owner": {"$ne": ALL},
            }
            parts = [
                document["metrics"]
                async for document in self.db[ROLLUPS].find(query).sort("_id", 1)
            ]
            result[key] = merge_metrics(key.family, parts) if parts else None
        return result

    async def dirty_count(self) -> int:
        return await self.db[DIRTY].count_documents({})

    async def rollups(
        self,
        family: Family,
        *,
        period_from: str | None = None,
        period_before: str | None = None,
        periods: Sequence[str] | None = None,
        owner: str | None = None,
        team: str | None = None,
        pipeline: str | None = None,
        totals: bool = False,
    ) -> list[Rollup]:
        """The rollups of a family in ``[period_from, period_before)`` with these dims,
        or its totals (over every dim) when ``totals``."""
        query: dict[str, Any] = {"family": family.value}
        period: dict[str, Any] = {}
        if period_from is not None:
            period["$gte"] = period_from
        if period_before is not None:
            period["$lt"] = period_before
        if periods is not None:
            period["$in"] = list(periods)
        if period:
            query["period"] = period
        if totals:
            query["owner"] = ALL
        else:
            query["owner"] = {"$ne": ALL}
            for name, value in (("owner", owner), ("team", team), ("pipeline", pipeline)):
                if value is not None:
                    query[name] = value
        return [
            Rollup(key=RollupKey.from_document(d), metrics=d["metrics"])
            async for d in self.db[ROLLUPS].find(query)
        ]

    async def clear_read_models(self) -> None:
        for name in [*READ_MODEL_COLLECTIONS, DASHBOARDS]:
            await self.db[name].delete_many({})

    async def next_generation(self) -> None:
        """Mark every stored dashboard out of date (the rollups or facts changed)."""
        await self.db[DASHBOARDS].update_one(
            {"_id": GENERATION}, {"$inc": {"value": 1}}, upsert=True
        )

    async def dashboard(self, key: str) -> tuple[int, Document | None]:
        """The current generation and the stored dashboard ``key`` if it is of that
        generation (one query for both)."""
        found = {
            d["_id"]: d async for d in self.db[DASHBOARDS].find({"_id": {"$in": [GENERATION, key]}})
        }
        generation = int(found.get(GENERATION, {}).get("value", 0))
        stored = found.get(key)
        if stored is None or stored.get("generation") != generation:
            return generation, None
        return generation, stored["figures"]

    async def store_dashboard(self, key: str, generation: int, figures: Document) -> None:
        await self.db[DASHBOARDS].replace_one(
            {"_id": key}, {"generation": generation, "figures": figures}, upsert=True
        )

    async def insert_read_models(
        self, facts: Mapping[FactKind, Iterable[Document]], rollups: Iterable[Document]
    ) -> None:
        for kind, documents in facts.items():
            await _insert_in_batches(self._facts(kind), documents)
        await _insert_in_batches(self.db[ROLLUPS], rollups)

    async def dump_read_models(self) -> dict[str, list[Document]]:
        """Every read-model document by collection, in id order, without the facts'
        versions (bookkeeping of compare-and-set, not content): to compare two stores."""
        return {
            name: [d async for d in self.db[name].find({}, {"version": 0}).sort("_id", 1)]
            for name in READ_MODEL_COLLECTIONS
        }


def rollup_document(key: RollupKey, metrics: dict[str, Any]) -> Document:
    return {"_id": key.id, **key.to_document(), "metrics": metrics}


async def _insert_in_batches(
    collection: AsyncCollection[Document], documents: Iterable[Document], size: int = 1000
) -> None:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            await collection.insert_many(batch, ordered=False)
            batch = []
    if batch:
        await collection.insert_many(batch, ordered=False)
