"""Inbox items: inserted exactly once per (event, recipient), numbered per person.

A person's next number is their highest plus one, and (recipient, sequence) is unique:
an item numbered ``n`` can only be inserted once ``n - 1`` is there, so a person's items
become visible in the order of their numbers, without gaps, whichever replica inserts
them. That is what lets the live stream resume after ``Last-Event-ID: n`` by reading
the numbers above ``n``. An insert that collides on the number takes the next one; one
that collides on (event, recipient) is the same item again and does nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.clock import utc_now
from crm_chassis.mongo import Document
from crm_chassis.pagination import Page
from notifications.domain.alerts import Kind, Record
from notifications.domain.notifications import Notification
from notifications.domain.preferences import MailPlan, MailState
from notifications.store.schema import ITEMS

# Inserts racing for one person's next number; each lost race means another insert won.
_NUMBER_ATTEMPTS = 1000
_REPLAY_BATCH = 500


def to_document(item: Notification) -> Document:
    return {
        "_id": item.notification_id,
        "event_id": item.event_id,
        "recipient": item.recipient,
        "sequence": item.sequence,
        "kind": item.kind.value,
        "title": item.title,
        "body": item.body,
        "urgent": item.urgent,
        "record": {"type": item.record.type, "id": item.record.id, "path": item.record.path},
        "console": item.console,
        "read": item.read_at is not None,
        "read_at": item.read_at,
        "created_at": item.created_at,
        "language": item.language,
        "mail": dict(item.mail.document()),
    }


def from_document(document: Mapping[str, Any]) -> Notification:
    record = document["record"]
    mail = document.get("mail") or {}
    return Notification(
        notification_id=document["_id"],
        event_id=document["event_id"],
        recipient=document["recipient"],
        kind=Kind(document["kind"]),
        title=document["title"],
        body=document["body"],
        urgent=document["urgent"],
        record=Record(record["type"], record["id"], record["path"]),
        console=document["console"],
        created_at=document["created_at"],
        mail=MailPlan(
            MailState(mail.get("state", MailState.NOT_WANTED.value)),
            mail.get("due_at"),
            mail.get("reason"),
        ),
        language=document.get("language", ""),
        sequence=document["sequence"],
        read_at=document.get("read_at"),
    )


class ItemStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[ITEMS]

    # Writing -------------------------------------------------------------------------

    async def insert(self, item: Notification) -> Notification | None:
        """Insert ``item`` with its person's next number; None when the event already
        gave this person their item (the stored one stays as it is).

        ``created_at`` is stamped just before the write: the live stream's watchers look
        for items by it, so it must not be older than the moment the item can be seen
        (one event's items for a whole team are written a few at a time)."""
        document = to_document(item)
        for _ in range(_NUMBER_ATTEMPTS):
            document["sequence"] = await self.last_sequence(item.recipient) + 1
            document["created_at"] = utc_now()
            try:
                await self.collection.insert_one(document)
            except DuplicateKeyError:
                if await self._exists(item.event_id, item.recipient):
                    return None
                continue  # another item took the number: take the next one
            return from_document(document)
        raise RuntimeError(f"no free number for {item.recipient} after {_NUMBER_ATTEMPTS} tries")

    async def _exists(self, event_id: str, recipient: str) -> bool:
        found = await self.collection.find_one(
            {"event_id": event_id, "recipient": recipient}, projection={"_id": 1}
        )
        return found is not None

    async def mark_read(self, recipient: str, notification_id: str, at: datetime) -> bool:
        """Mark one of ``recipient``'s shown items read (again: no change); False when
        they have no such item."""
        result = await self.collection.update_one(
            {"_id": notification_id, "recipient": recipient, "console": True, "read": False},
            {"$set": {"read": True, "read_at": at}},
        )
        if result.matched_count:
            return True
        found = await self.collection.find_one(
            {"_id": notification_id, "recipient": recipient, "console": True},
            projection={"_id": 1},
        )
        return found is not None

    async def mark_all_read(self, recipient: str, at: datetime) -> int:
        result = await self.collection.update_many(
            {"recipient": recipient, "console": True, "read": False},
            {"$set": {"read": True, "read_at": at}},
        )
        return result.modified_count

    # Reading -------------------------------------------------------------------------

    async def last_sequence(self, recipient: str) -> int:
        """The number of ``recipient``'s newest item, 0 before their first."""
        newest = await self.collection.find_one(
            {"recipient": recipient}, projection={"sequence": 1}, sort=[("sequence", -1)]
        )
        return int(newest["sequence"]) if newest else 0

    async def inbox(
        self, recipient: str, *, unread: bool | None, offset: int, limit: int
    ) -> Page[Notification]:
        """``recipient``'s shown items, unread first, then newest first."""
        query: Document = {"recipient": recipient, "console": True}
        if unread is not None:
            query["read"] = not unread
        total = await self.collection.count_documents(query)
        cursor = (
            self.collection.find(query)
            .sort([("read", 1), ("sequence", -1)])
            .skip(offset)
            .limit(limit)
        )
        items = [from_document(document) async for document in cursor]
        return Page(items=items, total=total, offset=offset, limit=limit)

    async def unread_count(self, recipient: str) -> int:
        return await self.collection.count_documents(
            {"recipient": recipient, "console": True, "read": False}
        )

    async def numbered_after(
        self, recipient: str, after: int, *, up_to: int | None = None
    ) -> AsyncIterator[Notification]:
        """``recipient``'s items numbered above ``after`` (and at most ``up_to``), in
        order, shown or not (the stream counts them all and shows the shown ones)."""
        bound: Document = {"$gt": after}
        if up_to is not None:
            bound["$lte"] = up_to
        while True:
            cursor = (
                self.collection.find({"recipient": recipient, "sequence": bound})
                .sort("sequence", 1)
                .limit(_REPLAY_BATCH)
            )
            batch = [from_document(document) async for document in cursor]
            for item in batch:
                yield item
            if len(batch) < _REPLAY_BATCH:
                return
            bound = {**bound, "$gt": batch[-1].sequence}

    async def created_since(
        self, recipients: Collection[str], since: datetime
    ) -> list[Notification]:
        """Items of ``recipients`` created at ``since`` or later, by person and number:
        what the live stream's watcher looks at each round."""
        cursor = self.collection.find(
            {"created_at": {"$gte": since}, "recipient": {"$in": list(recipients)}}
        ).sort([("recipient", 1), ("sequence", 1)])
        return [from_document(document) async for document in cursor]
