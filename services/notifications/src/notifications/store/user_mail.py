"""The mail of people's items and their daily digests, as the sender finds and marks it.

An item's mail lives in the item (``mail``: state, due time, lease, attempts). A digest
is a document of its own, one per person and day (``_id`` = ``<user id>:<day>``), made
once whichever replica comes first and then sent like an item's mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from crm_chassis.mongo import Document
from notifications.domain.notifications import Notification
from notifications.domain.preferences import MailState, Preferences
from notifications.domain.user_mail import DigestSlot
from notifications.store.items import from_document
from notifications.store.leases import LeasedQueue
from notifications.store.schema import DIGESTS, ITEMS, PREFERENCES

WAITING_MAIL = (MailState.PENDING.value, MailState.HELD_UNTIL.value)
DIGEST_PENDING = "pending"
_DUPLICATE_KEY = 11000
_DIGEST_FIELDS = ("language", "time_zone", "digest")


@dataclass(frozen=True)
class DigestSubscriber:
    user_id: str
    preferences: Preferences
    # When the preferences were last saved: a digest moment before it is not owed.
    since: datetime | None


@dataclass(frozen=True)
class Digest:
    digest_id: str
    recipient: str
    day: date
    since: datetime
    until: datetime
    attempts: int = 0


class UserMailStore:
    def __init__(self, db: AsyncDatabase[Document], *, owner: str, lease: timedelta) -> None:
        self.items: AsyncCollection[Document] = db[ITEMS]
        self.digests: AsyncCollection[Document] = db[DIGESTS]
        self.preferences: AsyncCollection[Document] = db[PREFERENCES]
        self.item_mail = LeasedQueue(
            self.items, prefix="mail.", waiting=WAITING_MAIL, owner=owner, lease=lease
        )
        self.digest_mail = LeasedQueue(
            self.digests, prefix="", waiting=(DIGEST_PENDING,), owner=owner, lease=lease
        )

    # Items -------------------------------------------------------------------------

    async def claim_item(self, due_by: datetime) -> tuple[Notification, int] | None:
        """The earliest item whose mail is due by ``due_by``, leased to this sender, and
        how many attempts its mail has had."""
        document = await self.item_mail.claim(due_by)
        if document is None:
            return None
        return from_document(document), int(document["mail"].get("attempts", 0))

    # Digests -----------------------------------------------------------------------

    async def digest_subscribers(self) -> list[DigestSubscriber]:
        cursor = self.preferences.find(
            {"digest.enabled": True},
            projection={**dict.fromkeys(_DIGEST_FIELDS, 1), "updated_at": 1},
        )
        found = []
        async for document in cursor:
            preferences = Preferences.model_validate(
                {name: document[name] for name in _DIGEST_FIELDS if name in document}
            )
            found.append(DigestSubscriber(document["_id"], preferences, document.get("updated_at")))
        return found

    async def plan_digests(self, slots: Sequence[tuple[str, DigestSlot]], now: datetime) -> int:
        """Make the digests of ``slots`` not made yet; how many this call made."""
        if not slots:
            return 0
        ids = {f"{user_id}:{slot.day.isoformat()}": (user_id, slot) for user_id, slot in slots}
        made = {
            document["_id"]
            async for document in self.digests.find(
                {"_id": {"$in": list(ids)}}, projection={"_id": 1}
            )
        }
        documents = [
            {
                "_id": digest_id,
                "recipient": user_id,
                "day": slot.day.isoformat(),
                "since": slot.since,
                "until": slot.until,
                "state": DIGEST_PENDING,
                "due_at": slot.until,
                "created_at": now,
            }
            for digest_id, (user_id, slot) in ids.items()
            if digest_id not in made
        ]
        if not documents:
            return 0
        try:
            result = await self.digests.insert_many(documents, ordered=False)
        except BulkWriteError as error:  # another replica made some of them meanwhile
            if any(e.get("code") != _DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
            return int(error.details.get("nInserted", 0))
        return len(result.inserted_ids)

    async def claim_digest(self, due_by: datetime) -> Digest | None:
        document = await self.digest_mail.claim(due_by)
        if document is None:
            return None
        return Digest(
            digest_id=document["_id"],
            recipient=document["recipient"],
            day=date.fromisoformat(document["day"]),
            since=document["since"],
            until=document["until"],
            attempts=int(document.get("attempts", 0)),
        )

    async def unread_between(
        self, recipient: str, since: datetime, until: datetime
    ) -> list[Notification]:
        """``recipient``'s items created in ``[since, until)`` not read yet."""
        cursor = self.items.find(
            {
                "recipient": recipient,
                "created_at": {"$gte": since, "$lt": until},
                "read": False,
            }
        ).sort("created_at", 1)
        return [from_document(document) async for document in cursor]
