"""Webhook subscriptions and the durable delivery queue (which is also the delivery log)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from gateway.domain.webhooks import DeliveryAttempt, DeliveryOut, DeliveryStatus, SubscriptionRecord
from gateway.store import DELIVERIES, SUBSCRIPTIONS, update_versioned


class SubscriptionStore:
    """Webhook subscriptions.

    The active ones are read for every consumed event, so that list is kept for up to
    ``active_ttl_seconds``. A change made through this store drops it at once; one
    made through another gateway replica is seen here within that time.
    """

    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        active_ttl_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._subscriptions = db[SUBSCRIPTIONS]
        self._active_ttl = active_ttl_seconds
        self._clock = clock
        self._active: tuple[float, list[SubscriptionRecord]] | None = None
        # Counts local changes, so a read that overlapped one does not keep its answer.
        self._changes = 0

    async def insert(self, record: SubscriptionRecord) -> None:
        await self._subscriptions.insert_one(record.model_dump(by_alias=True))
        self._changed()

    async def get(self, subscription_id: str) -> SubscriptionRecord | None:
        document = await self._subscriptions.find_one({"_id": subscription_id})
        return None if document is None else SubscriptionRecord.model_validate(document)

    async def active(self) -> list[SubscriptionRecord]:
        """The active subscriptions (a shared list: do not change it)."""
        now, changes = self._clock(), self._changes
        if self._active is not None and now - self._active[0] < self._active_ttl:
            return self._active[1]
        cursor = self._subscriptions.find({"active": True})
        records = [SubscriptionRecord.model_validate(document) async for document in cursor]
        if changes == self._changes:
            self._active = (now, records)
        return records

    def _changed(self) -> None:
        self._changes += 1
        self._active = None

    async def list(
        self, query: Mapping[str, Any], offset: int, limit: int
    ) -> tuple[list[SubscriptionRecord], int]:
        cursor = self._subscriptions.find(dict(query)).sort([("created_at", -1), ("_id", 1)])
        cursor = cursor.skip(offset).limit(limit)
        items = [SubscriptionRecord.model_validate(document) async for document in cursor]
        return items, await self._subscriptions.count_documents(dict(query))

    async def update(
        self, subscription_id: str, expected_version: int | None, changes: Mapping[str, Any]
    ) -> SubscriptionRecord | None:
        document = await update_versioned(
            self._subscriptions, subscription_id, expected_version, changes
        )
        self._changed()
        return None if document is None else SubscriptionRecord.model_validate(document)

    async def delete(self, subscription_id: str) -> bool:
        result = await self._subscriptions.delete_one({"_id": subscription_id})
        self._changed()
        return result.deleted_count == 1

    async def record_success(self, subscription_id: str) -> None:
        await self._subscriptions.update_one(
            {"_id": subscription_id, "consecutive_failures": {"$ne": 0}},
            {"$set": {"consecutive_failures": 0}},
        )

    async def record_failure(self, subscription_id: str) -> int:
        """Count one more failure in a row; returns the new count."""
        document = await self._subscriptions.find_one_and_update(
            {"_id": subscription_id},
            {"$inc": {"consecutive_failures": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return 0 if document is None else int(document["consecutive_failures"])

    async def disable(self, subscription_id: str, reason: str) -> bool:
        result = await self._subscriptions.update_one(
            {"_id": subscription_id, "active": True},
            {
                "$set": {
                    "active": False,
                    "disabled_reason": reason,
                    "updated_at": datetime.now(UTC),
                },
                "$inc": {"version": 1},
            },
        )
        self._changed()
        return result.modified_count == 1


def _delivery_out(document: Document) -> DeliveryOut:
    return DeliveryOut.model_validate({**document, "id": document["_id"]})


class DeliveryStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._deliveries = db[DELIVERIES]

    async def enqueue(
        self,
        delivery_id: str,
        *,
        subscription_id: str,
        event_id: str,
        event_type: str,
        body: str,
    ) -> bool:
        """Add a delivery; False when this event is already queued for this subscription."""
        now = datetime.now(UTC)
        try:
            await self._deliveries.insert_one(
                {
                    "_id": delivery_id,
                    "subscription_id": subscription_id,
                    "event_id": event_id,
                    "event_type": event_type,
                    "body": body,
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": [],
                    "attempt_count": 0,
                    "next_attempt_at": now,
                    "lease_until": None,
                    "created_at": now,
                    "delivered_at": None,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def claim_due(self, lease_seconds: float) -> Document | None:
        """Take the oldest due delivery (or one whose worker's lease ran out) for a while."""
        now = datetime.now(UTC)
        return await self._deliveries.find_one_and_update(
            {
                "$or": [
                    {"status": DeliveryStatus.PENDING.value, "next_attempt_at": {"$lte": now}},
                    {"status": DeliveryStatus.IN_PROGRESS.value, "lease_until": {"$lte": now}},
                ]
            },
            {
                "$set": {
                    "status": DeliveryStatus.IN_PROGRESS.value,
                    "lease_until": now + timedelta(seconds=lease_seconds),
                }
            },
            sort=[("next_attempt_at", 1)],
            return_document=ReturnDocument.AFTER,
        )

    async def record_attempt(
        self,
        delivery_id: str,
        attempt: DeliveryAttempt,
        *,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
    ) -> None:
        changes: dict[str, Any] = {
            "status": status.value,
            "next_attempt_at": next_attempt_at,
            "lease_until": None,
        }
        if status is DeliveryStatus.DELIVERED:
            changes["delivered_at"] = attempt.at
        await self._deliveries.update_one(
            {"_id": delivery_id},
            {
                "$set": changes,
                "$push": {"attempts": attempt.model_dump()},
                "$inc": {"attempt_count": 1},
            },
        )

    async def release(self, delivery_id: str, next_attempt_at: datetime) -> None:
        """Put a claimed delivery back without counting an attempt (subscription paused)."""
        await self._deliveries.update_one(
            {"_id": delivery_id},
            {
                "$set": {
                    "status": DeliveryStatus.PENDING.value,
                    "next_attempt_at": next_attempt_at,
                    "lease_until": None,
                }
            },
        )

    async def retry_now(self, delivery_id: str) -> DeliveryOut | None:
        document = await self._deliveries.find_one_and_update(
            {"_id": delivery_id, "status": {"$ne": DeliveryStatus.IN_PROGRESS.value}},
            {
                "$set": {
                    "status": DeliveryStatus.PENDING.value,
                    "next_attempt_at": datetime.now(UTC),
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return None if document is None else _delivery_out(document)

    async def get(self, delivery_id: str) -> DeliveryOut | None:
        document = await self._deliveries.find_one({"_id": delivery_id})
        return None if document is None else _delivery_out(document)

    async def list(
        self, query: Mapping[str, Any], offset: int, limit: int
    ) -> tuple[list[DeliveryOut], int]:
        cursor = self._deliveries.find(dict(query)).sort([("created_at", -1), ("_id", 1)])
        cursor = cursor.skip(offset).limit(limit)
        items = [_delivery_out(document) async for document in cursor]
        return items, await self._deliveries.count_documents(dict(query))
