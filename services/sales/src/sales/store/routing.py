"""Reps, routing rules and the shared counters that make assignment safe across replicas.

Least-loaded picking is a compare-and-set on a per-rep load document: read the
loads, choose a rep with the minimum, and increase its counter only if it still
holds the load that was read. Loads only grow during assignment, so a rep that
still has the load it had when it was the minimum is still a minimum: the loads
of the eligible reps never differ by more than one, whatever the number of
concurrent requests or replicas. Round-robin takes a turn from an atomically
increased per-rule counter.

The reps' roster is kept from the gateway's user directory (:meth:`RoutingStore.apply_directory`,
newest account version wins, aspect ``directory``) and from a sales admin's edits
(:meth:`RoutingStore.put_rep`). A directory change sets only name, team and active, so
the routing attributes an admin set (skills, senior, manager) stay. Every directory
entry leaves its stamp, also of people who never sold (so a late, older entry cannot
list them); those are hidden (``_listed`` false) from every read of the roster.
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

from crm_chassis.local_copies import Stamp, apply_if_newer
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec
from sales.domain.routing import DirectoryEntry, RoutingRule, SalesRep, round_robin_pick
from sales.store import collections as c

LoadKind = Literal["leads", "tasks"]
_MAX_ATTEMPTS = 500
_REPS = ModelCodec(SalesRep, "rep_id")
_RULES = ModelCodec(RoutingRule, "rule_id")
DIRECTORY = "directory"
# False on the entry of someone the directory never gave a selling role: not a rep.
_LISTED = "_listed"
_ON_ROSTER: Document = {_LISTED: {"$ne": False}}


class RoutingStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._reps = db[c.REPS]
        self._rules = db[c.ROUTING_RULES]
        self._loads = db[c.REP_LOADS]
        self._counters = db[c.COUNTERS]

    # reps
    async def put_rep(self, rep: SalesRep) -> None:
        """A sales admin's entry of ``rep``: every field set, the directory's stamp
        kept (so its next change of name, team or active overrides them)."""
        document = _REPS.to_document(rep)
        rep_id = document.pop("_id")
        update = {"$set": {**document, _LISTED: True}}
        try:
            await self._reps.update_one({"_id": rep_id}, update, upsert=True)
        except DuplicateKeyError:  # the directory created it at this moment
            await self._reps.update_one({"_id": rep_id}, update)
        await self._ensure_load_documents([rep.rep_id])

    async def apply_directory(
        self, rep_id: str, entry: DirectoryEntry, version: int, event_id: str
    ) -> bool:
        """Keep the directory's ``entry`` for ``rep_id`` if it is newer (by account
        version, then event id) than the last one applied; whether it was."""
        fields: Document = {"name": entry.name, "team": entry.team, "active": entry.active}
        on_insert: Document = {"manager_id": None, "skills": [], "senior": False}
        if entry.sells:
            fields[_LISTED] = True
        else:
            on_insert[_LISTED] = False
        applied = await apply_if_newer(
            self._reps, rep_id, DIRECTORY, Stamp(version, event_id), fields, on_insert=on_insert
        )
        if applied and entry.active:
            await self._ensure_load_documents([rep_id])
        return applied

    async def get_rep(self, rep_id: str) -> SalesRep | None:
        document = await self._reps.find_one({"_id": rep_id, **_ON_ROSTER})
        return None if document is None else _REPS.from_document(document)

    async def list_reps(self, team: str | None = None) -> list[SalesRep]:
        query: Document = dict(_ON_ROSTER) if team is None else {"team": team, **_ON_ROSTER}
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
