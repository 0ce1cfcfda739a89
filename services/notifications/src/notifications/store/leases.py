"""Mail waiting in a collection, claimed one document at a time with a lease, as the
chassis's outbox relay claims its documents.

A sender claims a due document with ``find_one_and_update`` on its state, due time and
lease (``lease_owner``, ``lease_until``, under ``prefix``): of two replicas looking at
the same document one wins, and the other's claim finds nothing. The lease holder marks
the document done (or due again later) only while it still holds the lease. A sender
that stops between claiming and marking leaves the lease to expire after its
``lease`` and the document is claimed again: mail is sent at least once while the
SMTP server accepts it, and at most twice when a sender dies after the server took
the message and before it wrote "sent" (with the same Message-ID both times).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.clock import utc_now
from crm_chassis.mongo import Document


class LeasedQueue:
    def __init__(
        self,
        collection: AsyncCollection[Document],
        *,
        prefix: str,
        waiting: Collection[str],
        owner: str,
        lease: timedelta,
    ) -> None:
        self.collection = collection
        self._state = f"{prefix}state"
        self._due = f"{prefix}due_at"
        self._owner_field = f"{prefix}lease_owner"
        self._until = f"{prefix}lease_until"
        self._attempts = f"{prefix}attempts"
        self._error = f"{prefix}error"
        self._prefix = prefix
        self._waiting = list(waiting)
        self.owner = owner
        self.lease = lease

    def field(self, name: str) -> str:
        return f"{self._prefix}{name}"

    def due_query(self, due_by: datetime) -> Document:
        """Waiting documents due by ``due_by`` that nobody holds."""
        return {
            self._state: {"$in": self._waiting},
            self._due: {"$lte": due_by},
            "$or": [{self._until: None}, {self._until: {"$lte": utc_now()}}],
        }

    async def claim(self, due_by: datetime) -> Document | None:
        """Take the lease on the earliest waiting document due by ``due_by``; None when
        there is none (or another sender took it first)."""
        return await self.collection.find_one_and_update(
            self.due_query(due_by),
            {"$set": {self._owner_field: self.owner, self._until: utc_now() + self.lease}},
            sort=[(self._due, 1)],
            return_document=ReturnDocument.AFTER,
        )

    def _held(self, document_id: Any) -> Document:
        return {"_id": document_id, self._owner_field: self.owner}

    def _unlease(self) -> Document:
        return {self._owner_field: "", self._until: ""}

    async def finish(
        self, document_id: Any, state: str, fields: Mapping[str, Any] | None = None
    ) -> bool:
        """Leave the document in ``state`` (sent, cancelled, ...) with ``fields`` set;
        whether the lease was still ours."""
        result = await self.collection.update_one(
            self._held(document_id),
            {
                "$set": {
                    self._state: state,
                    **{self.field(k): v for k, v in (fields or {}).items()},
                },
                "$unset": self._unlease(),
            },
        )
        return result.modified_count == 1

    async def retry(self, document_id: Any, not_before: datetime, error: str) -> bool:
        """Hand the document back, due again at ``not_before``, one attempt used."""
        result = await self.collection.update_one(
            self._held(document_id),
            {
                "$set": {self._due: not_before, self._error: error},
                "$inc": {self._attempts: 1},
                "$unset": self._unlease(),
            },
        )
        return result.modified_count == 1

    async def release(self, document_id: Any) -> None:
        """Hand the document back untouched (the server was away: no attempt used)."""
        await self.collection.update_one(self._held(document_id), {"$unset": self._unlease()})
