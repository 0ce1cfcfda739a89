"""Subscriptions per customer and channel, and the suppression list of addresses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document, is_duplicate_key
from crm_chassis.pagination import PageParams, SortSpec
from crm_chassis.versioned_store import STATE_PROJECTION
from crm_contracts.envelope import CloudEvent
from marketing.store import SUBSCRIPTIONS, SUPPRESSIONS, documents


class ConsentStore:
    """Consent per customer and channel (``subscriptions``) and the addresses that never
    receive anything (``suppressions``)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._subscriptions = db[SUBSCRIPTIONS]
        self._suppressions = db[SUPPRESSIONS]

    async def get_subscription(self, customer_id: str) -> Document | None:
        return await self._subscriptions.find_one({"_id": customer_id}, STATE_PROJECTION)

    async def set_subscription(
        self,
        customer_id: str,
        email: str | None,
        channel: str,
        subscribed: bool,
        source: str,
        now: datetime,
        events: Sequence[CloudEvent],
    ) -> Document:
        """Record consent for one channel, atomically; the event goes out only on a change.

        The update matches only when the stored state differs; when it is already the
        same, the upsert collides with the existing document and nothing is written.
        """
        fields: dict[str, Any] = {
            f"channels.{channel}": {"subscribed": subscribed, "changed_at": now, "source": source},
            "updated_at": now,
        }
        if email:
            fields["email"] = email
        try:
            await self._subscriptions.update_one(
                {"_id": customer_id, f"channels.{channel}.subscribed": {"$ne": subscribed}},
                add_outbox({"$set": fields}, events),
                upsert=True,
            )
        except DuplicateKeyError as error:
            if not is_duplicate_key(error):
                raise
        return await self.get_subscription(customer_id) or {}

    async def forget_address(self, customer_id: str) -> None:
        """Erasure: the customer's consent stays, the address it was given for goes."""
        await self._subscriptions.update_many({"_id": customer_id}, {"$unset": {"email": ""}})

    async def page_subscriptions(
        self, query: Mapping[str, Any], sort: SortSpec, params: PageParams
    ) -> tuple[list[Document], int]:
        return await documents.page(self._subscriptions, query, sort, params)

    async def unsubscribed_among(self, customer_ids: Iterable[str], channel: str) -> set[str]:
        """Which of these customers have unsubscribed from ``channel``."""
        cursor = self._subscriptions.find(
            {"_id": {"$in": list(customer_ids)}, f"channels.{channel}.subscribed": False},
            {"_id": 1},
        )
        return {doc["_id"] async for doc in cursor}

    async def suppressed_among(self, emails: Iterable[str]) -> set[str]:
        cursor = self._suppressions.find({"_id": {"$in": list(emails)}}, {"_id": 1})
        return {doc["_id"] async for doc in cursor}

    async def suppress(self, email: str, reason: str, note: str | None, now: datetime) -> Document:
        """Add an address to the suppression list (idempotent: the first reason is kept)."""
        document = {"_id": email, "reason": reason, "note": note, "created_at": now}
        try:
            await self._suppressions.insert_one(document)
        except DuplicateKeyError as error:
            if not is_duplicate_key(error):
                raise
            return await self._suppressions.find_one({"_id": email}) or document
        return document

    async def unsuppress(self, email: str) -> bool:
        result = await self._suppressions.delete_one({"_id": email})
        return result.deleted_count == 1

    async def get_suppression(self, email: str) -> Document | None:
        return await self._suppressions.find_one({"_id": email})

    async def page_suppressions(
        self, query: Mapping[str, Any], sort: SortSpec, params: PageParams
    ) -> tuple[list[Document], int]:
        return await documents.page(self._suppressions, query, sort, params)
