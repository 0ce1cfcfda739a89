"""The durable send queue: one document per recipient of a campaign.

Senders claim work atomically per document: a claim marks candidates ``sending``
with the sender's lease id and an expiry, conditioned on their still being
``queued``, so two senders (replicas, or one restarted) never hold the same
message. A lease that expires (the sender died) returns the message to the queue.
Outcomes are written only by the lease holder.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.mongo import Document, is_duplicate_key
from crm_chassis.pagination import PageParams, SortSpec
from crm_chassis.versioned_store import STATE_PROJECTION
from crm_contracts.envelope import CloudEvent
from marketing.domain.deliveries import DeliveryStatus as St
from marketing.store import DELIVERIES, SEND_WINDOWS, SENT_EVENTS, documents

_LEASE = {"lease_owner": "", "lease_until": ""}


def sent_update(delivery_id: str, owner: str, now: datetime) -> UpdateOne:
    """The ``sent`` write of one message, for :func:`write_sent` (group commit)."""
    return UpdateOne(
        {"_id": delivery_id, "lease_owner": owner, "status": St.SENDING.value},
        {
            "$set": {"status": St.SENT.value, "sent_at": now},
            "$inc": {"attempts": 1},
            "$unset": dict(_LEASE),
        },
    )


_DELIVERED = [St.SENDING.value, St.SENT.value]
"""States in which the recipient may already hold the message."""


def _seen(now: datetime, set_fields: Mapping[str, Any], *, earliest: Sequence[str]) -> Document:
    """The update of a message its recipient opened or clicked: it was sent (and the
    ``earliest`` times reached) by ``now`` at the latest, and a sender's lease on it ends,
    so that sender's own ``sent`` mark then matches nothing."""
    return {
        "$set": dict(set_fields),
        "$min": dict.fromkeys(("sent_at", *earliest), now),
        "$unset": dict(_LEASE),
    }


class DeliveryQueue:
    """The ``deliveries`` queue, the shared per-minute send allowance (``send_windows``)
    and the outbox documents of group-committed ``message.sent`` events."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._deliveries = db[DELIVERIES]
        self._windows = db[SEND_WINDOWS]
        self._sent_events = db[SENT_EVENTS]

    async def enqueue(self, batch: Sequence[Document]) -> int:
        """Insert deliveries; ones already queued for the same campaign and customer are kept
        as they are (re-queueing after a crash is safe). Returns how many were new."""
        if not batch:
            return 0
        try:
            result = await self._deliveries.insert_many(list(batch), ordered=False)
        except BulkWriteError as error:
            errors = error.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in errors):
                raise
            return len(batch) - len(errors)
        return len(result.inserted_ids)

    async def reserve_slots(
        self, window: datetime, window_seconds: int, limit: int, wanted: int
    ) -> int:
        """Take up to ``wanted`` sends from the shared per-window allowance (all replicas).

        Compare-and-set on the window's counter; returns how many were granted.
        """
        collection = self._windows
        for _ in range(20):
            current = await collection.find_one({"_id": window})
            used = int(current["used"]) if current else 0
            granted = min(wanted, limit - used)
            if granted <= 0:
                return 0
            if current is None:
                try:
                    await collection.insert_one(
                        {
                            "_id": window,
                            "used": granted,
                            "expires_at": window + timedelta(seconds=window_seconds * 10),
                        }
                    )
                except DuplicateKeyError as error:
                    if not is_duplicate_key(error):
                        raise
                    continue
                return granted
            result = await collection.update_one(
                {"_id": window, "used": used}, {"$inc": {"used": granted}}
            )
            if result.modified_count == 1:
                return granted
        return 0

    async def give_back_slots(self, window: datetime, count: int) -> None:
        if count > 0:
            await self._windows.update_one({"_id": window}, {"$inc": {"used": -count}})

    async def recover_expired_leases(self, now: datetime) -> int:
        """Messages whose sender vanished go back to the queue (see the README on the window
        in which such a message may already have been accepted by the SMTP server)."""
        result = await self._deliveries.update_many(
            {"status": St.SENDING.value, "lease_until": {"$lt": now}},
            {"$set": {"status": St.QUEUED.value, "next_attempt_at": now}, "$unset": _LEASE},
        )
        return int(result.modified_count)

    async def claim(
        self, owner: str, limit: int, lease: timedelta, now: datetime
    ) -> list[Document]:
        """Lease up to ``limit`` due messages of the best waiting priority.

        Only one priority per claim, so a batch of Normal messages never starts while a
        VIP message is still due.
        """
        collection = self._deliveries
        due = {"status": St.QUEUED.value, "next_attempt_at": {"$lte": now}}
        head = await collection.find_one(due, {"priority": 1}, sort=[("priority", 1)])
        if head is None:
            return []
        candidates = (
            collection.find({**due, "priority": head["priority"]}, {"_id": 1})
            .sort([("next_attempt_at", 1), ("_id", 1)])
            .limit(limit)
        )
        ids = [doc["_id"] async for doc in candidates]
        await collection.update_many(
            {"_id": {"$in": ids}, **due},
            {
                "$set": {
                    "status": St.SENDING.value,
                    "lease_owner": owner,
                    "lease_until": now + lease,
                }
            },
        )
        cursor = collection.find({"lease_owner": owner, "status": St.SENDING.value})
        claimed = await cursor.to_list(length=None)
        claimed.sort(key=lambda doc: (doc["next_attempt_at"], doc["_id"]))
        return claimed

    async def _settle(
        self,
        delivery_id: str,
        owner: str,
        update: Mapping[str, Any],
        events: Sequence[CloudEvent] = (),
    ) -> bool:
        """Write an outcome if this sender still holds the lease."""
        full = {op: dict(fields) for op, fields in update.items()}
        full.setdefault("$unset", {}).update(_LEASE)
        result = await self._deliveries.update_one(
            {"_id": delivery_id, "lease_owner": owner, "status": St.SENDING.value},
            add_outbox(full, events),
        )
        return result.modified_count == 1

    async def write_sent(
        self,
        updates: Sequence[UpdateOne],
        events: Sequence[CloudEvent],
        now: datetime,
    ) -> int:
        """Mark a group of messages sent; returns how many this sender still held.

        Their ``message.sent`` events go into one outbox document first, then the marks
        in one bulk write: a crash in between sends those messages again and repeats
        their events with the same ``message_id`` (at least once, as everywhere).
        """
        if not updates:
            return 0
        await self._sent_events.insert_one(
            with_outbox({"_id": uuid.uuid4().hex, "written_at": now, "count": len(events)}, events)
        )
        result = await self._deliveries.bulk_write(list(updates), ordered=False)
        return int(result.modified_count)

    async def mark_bounced(
        self,
        delivery_id: str,
        owner: str,
        reason: str,
        now: datetime,
        events: Sequence[CloudEvent],
    ) -> bool:
        update = {
            "$set": {"status": St.BOUNCED.value, "bounced_at": now, "last_error": reason},
            "$inc": {"attempts": 1},
        }
        return await self._settle(delivery_id, owner, update, events)

    async def mark_suppressed(self, delivery_id: str, owner: str, reason: str) -> bool:
        update = {"$set": {"status": St.SUPPRESSED.value, "suppressed_reason": reason}}
        return await self._settle(delivery_id, owner, update)

    async def mark_failed(self, delivery_id: str, owner: str, reason: str) -> bool:
        update = {
            "$set": {"status": St.FAILED.value, "last_error": reason},
            "$inc": {"attempts": 1},
        }
        return await self._settle(delivery_id, owner, update)

    async def retry_later(
        self,
        delivery_id: str,
        owner: str,
        at: datetime,
        reason: str,
        *,
        count_attempt: bool,
    ) -> bool:
        """Back to the queue, due at ``at``. An attempt is counted only when the recipient
        was the problem; a server outage does not use up a message's attempts."""
        update: dict[str, Any] = {
            "$set": {"status": St.QUEUED.value, "next_attempt_at": at, "last_error": reason}
        }
        if count_attempt:
            update["$inc"] = {"attempts": 1}
        return await self._settle(delivery_id, owner, update)

    async def record_open(
        self, delivery_id: str, now: datetime, events: Sequence[CloudEvent]
    ) -> bool:
        """The first open of a sent message (later ones, or after a click, change nothing).

        A message still marked ``sending`` counts too: the SMTP server has accepted it (the
        recipient holds it), and its ``sent`` mark may still be on its way in a group commit.
        """
        result = await self._deliveries.update_one(
            {"_id": delivery_id, "status": {"$in": _DELIVERED}, "opened_at": None},
            add_outbox(
                _seen(now, {"status": St.OPENED.value, "opened_at": now}, earliest=()), events
            ),
        )
        return result.modified_count == 1

    async def record_click(
        self, delivery_id: str, now: datetime, events: Sequence[CloudEvent]
    ) -> bool:
        """Count a click; the first one moves the message to ``clicked`` (an open is implied,
        and a message still marked ``sending`` was delivered, as for an open)."""
        first = await self._deliveries.update_one(
            {"_id": delivery_id, "status": {"$in": [*_DELIVERED, St.OPENED.value]}},
            add_outbox(
                {
                    **_seen(
                        now, {"status": St.CLICKED.value, "clicked_at": now}, earliest=["opened_at"]
                    ),
                    "$inc": {"click_count": 1},
                },
                events,
            ),
        )
        if first.modified_count == 1:
            return True
        await self._deliveries.update_one(
            {"_id": delivery_id, "status": St.CLICKED.value}, {"$inc": {"click_count": 1}}
        )
        return False

    async def find(self, delivery_id: str) -> Document | None:
        return await self._deliveries.find_one({"_id": delivery_id}, STATE_PROJECTION)

    async def page(
        self, query: Mapping[str, Any], sort: SortSpec, params: PageParams
    ) -> tuple[list[Document], int]:
        return await documents.page(self._deliveries, query, sort, params)

    async def count(self, query: Mapping[str, Any]) -> int:
        return await self._deliveries.count_documents(query)

    async def campaign_counts(self, campaign_id: str) -> dict[str, int]:
        """How many of a campaign's messages are in each stage (for its metrics)."""

        async def count(query: Document) -> int:
            return await self.count({"campaign_id": campaign_id, **query})

        sent = await count({"sent_at": {"$ne": None}})
        return {
            "queued": await count({"status": {"$in": [St.QUEUED.value, St.SENDING.value]}}),
            "sent": sent,
            "bounced": await count({"status": St.BOUNCED.value}),
            "failed": await count({"status": St.FAILED.value}),
            "suppressed": await count({"status": St.SUPPRESSED.value}),
            "opened": await count({"opened_at": {"$ne": None}}),
            "clicked": await count({"clicked_at": {"$ne": None}}),
        }

    async def forget_recipient(self, customer_id: str) -> None:
        """Erasure: the customer's waiting messages are not sent, and no message keeps
        their address or the values merged into it."""
        await self._deliveries.update_many(
            {"customer_id": customer_id, "status": {"$in": [St.QUEUED.value, St.SENDING.value]}},
            {"$set": {"status": St.SUPPRESSED.value, "suppressed_reason": "erased"}},
        )
        await self._deliveries.update_many(
            {"customer_id": customer_id}, {"$unset": {"email": "", "variables": ""}}
        )

    async def last_touch(
        self, customer_id: str, since: datetime, until: datetime
    ) -> Document | None:
        """The most recent campaign message sent to the customer in ``[since, until]``."""
        return await self._deliveries.find_one(
            {"customer_id": customer_id, "sent_at": {"$gte": since, "$lte": until}},
            {"campaign_id": 1, "sent_at": 1},
            sort=[("sent_at", -1)],
        )
