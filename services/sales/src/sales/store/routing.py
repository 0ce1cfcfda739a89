"""Reps, routing rules and the shared counters that make assignment safe across replicas.

Least-loaded picking is a compare-and-set on a per-rep load document: read the
loads, choose a rep with the minimum, and increase its counter only if it still
holds the load that was read. Loads only grow during assignment, so a rep that
still has the load it had when it was the minimum is still a minimum: the loads
of the eligible reps never differ by more than one, whatever the number of
concurrent requests or replicas. Round-robin takes a turn from an atomically
increased per-rule counter.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Sequence
from typing import Literal

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec
from sales.domain.routing import RoutingRule, SalesRep, round_robin_pick
from sales.store import collections as c

LoadKind = Literal["leads", "tasks"]
_MAX_ATTEMPTS = 500
_REPS = ModelCodec(SalesRep, "rep_id")
_RULES = ModelCodec(RoutingRule, "rule_id")


class RoutingStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._reps = db[c.REPS]
        self._rules = db[c.ROUTING_RULES]
        self._loads = db[c.REP_LOADS]
        self._counters = db[c.COUNTERS]

    # reps
    async def put_rep(self, rep: SalesRep) -> None:
        document = _REPS.to_document(rep)
        await self._reps.replace_one({"_id": document["_id"]}, document, upsert=True)
        await self._ensure_load_documents([rep.rep_id])

    async def get_rep(self, rep_id: str) -> SalesRep | None:
        document = await self._reps.find_one({"_id": rep_id})
        return None if document is None else _REPS.from_document(document)

    async def list_reps(self, team: str | None = None) -> list[SalesRep]:
        query: Document = {} if team is None else {"team": team}
        cursor = self._reps.find(query).sort("_id", 1).limit(5000)
        return [_REPS.from_document(doc) async for doc in cursor]

    async def loads(self, rep_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        cursor = self._loads.find({"_id": {"$in": list(rep_ids)}})
        return {
            doc["_id"]: {"leads": int(doc.get("leads", 0)), "tasks": int(doc.get("tasks", 0))}
            async for doc in cursor
        }

    # rules
    async def list_rules(self) -> list[RoutingRule]:
        cursor = self._rules.find({}).sort([("position", 1), ("_id", 1)]).limit(1000)
        return [_RULES.from_document(doc) async for doc in cursor]

    async def get_rule(self, rule_id: str) -> RoutingRule | None:
        document = await self._rules.find_one({"_id": rule_id})
        return None if document is None else _RULES.from_document(document)

    async def put_rule(self, rule: RoutingRule) -> None:
        document = _RULES.to_document(rule)
        await self._rules.replace_one({"_id": document["_id"]}, document, upsert=True)

    async def delete_rule(self, rule_id: str) -> bool:
        result = await self._rules.delete_one({"_id": rule_id})
        return result.deleted_count == 1

    # counters
    async def _ensure_load_documents(self, rep_ids: Sequence[str]) -> None:
        for rep_id in rep_ids:
            # A concurrent request may create it first; then the upsert fails harmlessly.
            with contextlib.suppress(DuplicateKeyError):
                await self._loads.update_one(
                    {"_id": rep_id}, {"$setOnInsert": {"leads": 0, "tasks": 0}}, upsert=True
                )

    async def claim_least_loaded(self, rep_ids: Sequence[str], kind: LoadKind) -> str:
        """Add one item to a least-loaded rep's count, atomically; return that rep."""
        for _ in range(_MAX_ATTEMPTS):
            loads = await self.loads(rep_ids)
            missing = [rep_id for rep_id in rep_ids if rep_id not in loads]
            if missing:
                await self._ensure_load_documents(missing)
                continue
            lowest = min(loads[rep_id][kind] for rep_id in rep_ids)
            # Any rep still at the lowest load read is still a minimum (loads only grow
            # while assigning), so the conditional increment never overtakes anyone.
            claimed = await self._loads.find_one_and_update(
                {"_id": {"$in": list(rep_ids)}, kind: lowest},
                {"$inc": {kind: 1}},
                sort=[("_id", 1)],
                projection={"_id": 1},
            )
            if claimed is not None:
                return str(claimed["_id"])
            await asyncio.sleep(secrets.randbelow(5) / 1000)
        raise RuntimeError("could not claim a rep: too much contention")

    async def claim_round_robin(self, rule_id: str, rep_ids: Sequence[str], kind: LoadKind) -> str:
        counter = await self._counters.find_one_and_update(
            {"_id": f"round_robin:{rule_id}"},
            {"$inc": {"turn": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert counter is not None
        rep_id = round_robin_pick(rep_ids, int(counter["turn"]) - 1)
        await self.add_load(rep_id, kind, 1)
        return rep_id

    async def add_load(self, rep_id: str, kind: LoadKind, delta: int) -> None:
        result = await self._loads.update_one({"_id": rep_id}, {"$inc": {kind: delta}})
        if result.matched_count == 0:
            await self._ensure_load_documents([rep_id])
            await self._loads.update_one({"_id": rep_id}, {"$inc": {kind: delta}})
