"""The outbox relay: publishes the events pending in aggregate documents.

A relay finds a batch of pending documents with one query, then claims each by
its ``_id`` with a lease (``find_one_and_update`` on the lease fields, owner unique
per process), so replicas sharing a collection never publish the same entries
concurrently; a few documents are published at once. It publishes the document's entries
in order, each with a publisher confirm, then removes the published ones in one
atomic update and records them in ``outbox_log``. A crash or a broker outage at
any point leaves the entries in the document, to be published later: delivery is
at-least-once (a crash after the confirm and before the removal publishes again;
consumers skip duplicates by event id). A lease that outlives its owner expires
after ``relay_lease_seconds``.

A local write wakes the relay at once, but two passes are at least
``relay_min_gap_seconds`` apart: under a steady stream of writes one pass publishes
what several wrote, instead of each write costing a query per outbox collection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from crm_chassis.background import finish_or_cancel
from crm_chassis.events import metrics
from crm_chassis.events.bus import Bus
from crm_chassis.events.outbox import (
    LEASE_OWNER_FIELD,
    LEASE_UNTIL_FIELD,
    OUTBOX_FIELD,
    PENDING_SINCE_FIELD,
    EventState,
)
from crm_chassis.events.settings import EventingSettings
from crm_contracts.envelope import CloudEvent

log = logging.getLogger(__name__)

Document = dict[str, Any]
# A document whose publish failed is tried again after 1, 2, 4... seconds, at most a minute.
_FIRST_BACKOFF_SECONDS = 1.0
_MAX_BACKOFF_SECONDS = 60.0
# The pass after a back-off comes this much after it ends, so the lease has expired.
_RETRY_MARGIN_SECONDS = 0.05


class OutboxRelay:
    def __init__(
        self,
        settings: EventingSettings,
        bus: Bus,
        collections: Sequence[AsyncCollection[Document]],
        log_collection: AsyncCollection[Document],
        *,
        service: str,
        owner: str,
    ) -> None:
        self._settings = settings
        self._bus = bus
        self._collections = collections
        self._log = log_collection
        self._service = service
        self._owner = owner
        self._wake = asyncio.Event()
        # When the earliest document backed off after a failed publish may go again.
        self._retry_at: float | None = None
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay {self._owner}")

    def notify(self) -> None:
        self._wake.set()

    async def stop(self, flush_seconds: float) -> None:
        """Stop after one last pass over the outbox, bounded by ``flush_seconds``."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        if not await finish_or_cancel(task, flush_seconds):
            log.warning("outbox flush did not finish in %.1f s; leases will expire", flush_seconds)

    async def _run(self) -> None:
        while True:
            stopping = self._stopping
            self._wake.clear()
            if self._retry_at is not None and self._retry_at <= time.monotonic():
                self._retry_at = None  # this pass takes the documents whose back-off ended
            try:
                if self._bus.is_ready():
                    metrics.RELAY_PASSES.labels(self._service).inc()
                    await self._drain()
            except Exception:
                log.exception("outbox relay pass failed")
            if stopping:
                return
            await asyncio.sleep(self._settings.relay_min_gap_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._until_next_pass())

    def _until_next_pass(self) -> float:
        """How long to wait for a wake-up: the poll; while the broker is away its
        reconnect interval, so what waited for it goes out soon after it is back; and
        no longer than until a document backed off after a failed publish may go again
        (a publish can fail just after the connection came back, before its channel)."""
        wait = self._settings.relay_poll_seconds
        if not self._bus.is_ready():
            wait = min(wait, self._settings.reconnect_interval_seconds)
        if self._retry_at is not None:
            wait = min(wait, max(0.0, self._retry_at - time.monotonic()))
        return wait

    async def _drain(self) -> None:
        """Publish every claimable pending document, oldest first, until none is left.

        One query finds a batch of pending documents; each is then claimed by its
        ``_id`` (cheap, and still exclusive) and several are published at once, each
        document's own events in order.
        """
        batch = self._settings.relay_batch_size
        for collection in self._collections:
            while self._bus.is_ready():
                pending = await self._claimable_ids(collection, batch)
                await asyncio.gather(
                    *(
                        self._claim_and_publish(collection, chunk)
                        for chunk in _spread(pending, self._settings.relay_concurrency)
                    )
                )
                if len(pending) < batch:
                    break

    async def _claimable_ids(self, collection: AsyncCollection[Document], limit: int) -> list[Any]:
        cursor = collection.find(
            _claimable(datetime.now(UTC)),
            projection={"_id": 1},
            sort=[(PENDING_SINCE_FIELD, 1)],
            limit=limit,
        )
        return [document["_id"] async for document in cursor]

    async def _claim_and_publish(
        self, collection: AsyncCollection[Document], document_ids: Sequence[Any]
    ) -> None:
        for document_id in document_ids:
            if not self._bus.is_ready():
                return
            document = await self._claim(collection, document_id)
            if document is not None:  # else another relay was first, or it was published
                await self._publish_document(collection, document)

    async def _claim(
        self, collection: AsyncCollection[Document], document_id: Any
    ) -> Document | None:
        now = datetime.now(UTC)
        return await collection.find_one_and_update(
            {"_id": document_id, **_claimable(now)},
            {
                "$set": {
                    LEASE_OWNER_FIELD: self._owner,
                    LEASE_UNTIL_FIELD: now + timedelta(seconds=self._settings.relay_lease_seconds),
                    f"{OUTBOX_FIELD}.$[].state": EventState.IN_PROGRESS.value,
                }
            },
            projection={OUTBOX_FIELD: 1},
            return_document=ReturnDocument.AFTER,
        )

    async def _publish_document(
        self, collection: AsyncCollection[Document], document: Document
    ) -> None:
        # Stop publishing before the lease runs out, so no other relay can have
        # claimed the document while this one still publishes from it.
        deadline = (
            time.monotonic()
            + self._settings.relay_lease_seconds
            - self._settings.publish_timeout_seconds
        )
        published: list[Document] = []
        failed: tuple[Document, Exception] | None = None
        for entry in document.get(OUTBOX_FIELD, []):
            if time.monotonic() > deadline:
                break
            try:
                await self._bus.publish(CloudEvent.model_validate(entry["event"]))
            except Exception as exc:
                # Later entries wait too: events of one aggregate go out in order.
                failed = (entry, exc)
                break
            published.append(entry)
            metrics.EVENTS_PUBLISHED.labels(self._service, entry["type"]).inc()
        await self._record_published(collection, document["_id"], published)
        await self._release(collection, document, published, failed)

    async def _record_published(
        self, collection: AsyncCollection[Document], document_id: Any, entries: list[Document]
    ) -> None:
        if not entries:
            return
        now = datetime.now(UTC)
        for entry in entries:
            metrics.OUTBOX_LAG.labels(self._service).observe(
                (now - entry["written_at"]).total_seconds()
            )
        records = [
            {
                "_id": entry["event_id"],
                "type": entry["type"],
                "state": EventState.PUBLISHED.value,
                "collection": collection.name,
                "document_id": document_id,
                "written_at": entry["written_at"],
                "published_at": now,
            }
            for entry in entries
        ]
        try:
            await self._log.insert_many(records, ordered=False)
        except BulkWriteError as error:
            # A republish after a crash logs the same event id again: already recorded.
            if any(e.get("code") != 11000 for e in error.details.get("writeErrors", [])):
                raise

    async def _release(
        self,
        collection: AsyncCollection[Document],
        document: Document,
        published: list[Document],
        failed: tuple[Document, Exception] | None,
    ) -> None:
        held = {"_id": document["_id"], LEASE_OWNER_FIELD: self._owner}
        unlease = {LEASE_OWNER_FIELD: "", LEASE_UNTIL_FIELD: ""}
        finished = failed is None and len(published) == len(document.get(OUTBOX_FIELD, []))
        if finished and published:
            # The usual case in one update: only the lease holder removes entries, so an
            # array still this long holds nothing but what was just published.
            cleared = await collection.update_one(
                {**held, OUTBOX_FIELD: {"$size": len(published)}},
                {"$unset": {**unlease, OUTBOX_FIELD: "", PENDING_SINCE_FIELD: ""}},
            )
            if cleared.modified_count:
                return
        if published:
            pull = {OUTBOX_FIELD: {"event_id": {"$in": [e["event_id"] for e in published]}}}
            await collection.update_one(
                held, {"$pull": pull, **({"$unset": unlease} if finished else {})}
            )
        elif finished:
            await collection.update_one(held, {"$unset": unlease})
        if not finished:
            # A separate update: $pull above and these per-entry $sets touch the same
            # array, which one update may not do. The lease is released only here.
            update, array_filters = self._give_back(failed)
            await collection.update_one(held, update, array_filters=array_filters)
        # Conditional, so an entry pushed meanwhile keeps the document pending.
        await collection.update_one(
            {"_id": document["_id"], OUTBOX_FIELD: {"$size": 0}},
            {"$unset": {PENDING_SINCE_FIELD: "", OUTBOX_FIELD: ""}},
        )

    def _give_back(
        self, failed: tuple[Document, Exception] | None
    ) -> tuple[Document, list[Document]]:
        """The update (and its array filters) returning unpublished entries to the pool."""
        waiting: Document = {"waiting.state": EventState.IN_PROGRESS.value}
        update: Document
        if failed is None:  # the lease ran short: hand the rest back at once
            update = {
                "$set": {f"{OUTBOX_FIELD}.$[waiting].state": EventState.NOT_PUBLISHED.value},
                "$unset": {LEASE_OWNER_FIELD: "", LEASE_UNTIL_FIELD: ""},
            }
            return update, [waiting]
        entry, error = failed
        metrics.PUBLISH_FAILURES.labels(self._service).inc()
        log.warning(
            "publishing event %s (%s) failed: %r; it stays pending",
            entry["event_id"],
            entry["type"],
            error,
        )
        attempts = int(entry.get("attempts", 0)) + 1
        backoff = min(_FIRST_BACKOFF_SECONDS * 2 ** (attempts - 1), _MAX_BACKOFF_SECONDS)
        retry_at = time.monotonic() + backoff + _RETRY_MARGIN_SECONDS
        self._retry_at = retry_at if self._retry_at is None else min(self._retry_at, retry_at)
        update = {
            "$set": {
                f"{OUTBOX_FIELD}.$[failed].state": EventState.FAILED.value,
                f"{OUTBOX_FIELD}.$[failed].last_error": repr(error)[:500],
                f"{OUTBOX_FIELD}.$[failed].attempts": attempts,
                f"{OUTBOX_FIELD}.$[waiting].state": EventState.NOT_PUBLISHED.value,
                # Back the document off; the lease expiry doubles as "not before".
                LEASE_UNTIL_FIELD: datetime.now(UTC) + timedelta(seconds=backoff),
            },
            "$unset": {LEASE_OWNER_FIELD: ""},
        }
        waiting["waiting.event_id"] = {"$ne": entry["event_id"]}
        return update, [{"failed.event_id": entry["event_id"]}, waiting]


def _claimable(now: datetime) -> Document:
    """Documents with pending events and no live lease."""
    return {
        PENDING_SINCE_FIELD: {"$exists": True},
        "$or": [
            {LEASE_UNTIL_FIELD: {"$exists": False}},
            {LEASE_UNTIL_FIELD: {"$lt": now}},
        ],
    }


def _spread(items: Sequence[Any], ways: int) -> list[Sequence[Any]]:
    """``items`` dealt round-robin into at most ``ways`` non-empty lanes."""
    return [lane for lane in (items[start::ways] for start in range(ways)) if lane]
