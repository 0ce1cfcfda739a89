"""Customer notices waiting to be mailed, one document per notice a customer is owed.

A notice's ``_id`` says what it is for: ``invoice:<id>:<step>``, ``order:<id>:<status>``,
``ticket:<id>:ack``. Made by whichever replica comes first (the others' inserts collide
and do nothing), so an event delivered twice or a step scanned by two replicas gives
one notice; sent through a :class:`LeasedQueue` like people's mail. ``facts`` holds
what the event told that the mail quotes (never the customer's name or address, read
from the customer's copy when the mail goes out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from notifications.domain.notice_templates import NoticeKind
from notifications.store.leases import LeasedQueue
from notifications.store.schema import CUSTOMER_NOTICES

PENDING = "pending"
SENT = "sent"
CANCELLED = "cancelled"
FAILED = "failed"


@dataclass(frozen=True)
class Notice:
    notice_id: str
    kind: NoticeKind
    customer_id: str
    facts: Mapping[str, Any]
    attempts: int = 0


class NoticeStore:
    def __init__(self, db: AsyncDatabase[Document], *, owner: str, lease: timedelta) -> None:
        self.collection: AsyncCollection[Document] = db[CUSTOMER_NOTICES]
        self.queue = LeasedQueue(
            self.collection, prefix="", waiting=(PENDING,), owner=owner, lease=lease
        )

    async def add(
        self,
        notice_id: str,
        kind: NoticeKind,
        customer_id: str,
        facts: Mapping[str, Any],
        due_at: datetime,
        now: datetime,
    ) -> bool:
        """Make the notice unless it exists; whether this call made it."""
        try:
            await self.collection.insert_one(
                {
                    "_id": notice_id,
                    "kind": kind.value,
                    "customer_id": customer_id,
                    "facts": dict(facts),
                    "state": PENDING,
                    "due_at": due_at,
                    "created_at": now,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def claim(self, due_by: datetime) -> Notice | None:
        document = await self.queue.claim(due_by)
        if document is None:
            return None
        return Notice(
            notice_id=document["_id"],
            kind=NoticeKind(document["kind"]),
            customer_id=document["customer_id"],
            facts=document.get("facts") or {},
            attempts=int(document.get("attempts", 0)),
        )

    async def forget_customer(self, customer_id: str, at: datetime) -> None:
        """Erasure: the customer's waiting notices are not sent, and no notice keeps what
        it would have quoted. What they quoted goes first, so a notice that reads
        cancelled quotes nothing."""
        await self.collection.update_many({"customer_id": customer_id}, {"$unset": {"facts": ""}})
        await self.collection.update_many(
            {"customer_id": customer_id, "state": PENDING},
            {"$set": {"state": CANCELLED, "reason": "erased", "finished_at": at}},
        )
