"""The local projection of customers, kept from the customer service's events.

Every write is idempotent and order-tolerant: profile snapshots apply only when
newer (``profile_version``), tier and consumption only when their event is newer
(``tier_as_of``, ``consumption_as_of``), activity moves forward with ``$max``. An
erased customer keeps only a tombstone, so a late event cannot bring them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.local_copies import LIVE, live, tombstone
from crm_chassis.mongo import Document, is_duplicate_key
from marketing.store import CUSTOMERS, DELIVERIES, RESPONSES, SUBSCRIPTIONS


async def _upsert_if(
    db: AsyncDatabase[Document], customer_id: str, condition: dict[str, Any], update: Document
) -> None:
    """Apply ``update`` when ``condition`` holds; create the document when it is missing.

    When the document exists but the condition fails (an older event), the upsert
    collides with it on ``_id``: that is the "already newer" case and changes nothing.
    """
    try:
        await db[CUSTOMERS].update_one(live({"_id": customer_id, **condition}), update, upsert=True)
    except DuplicateKeyError as error:
        if not is_duplicate_key(error):
            raise


def _newer(field: str, value: Any) -> dict[str, Any]:
    return {"$or": [{field: {"$lt": value}}, {field: None}]}


async def apply_profile(
    db: AsyncDatabase[Document], customer_id: str, version: int, profile: Document
) -> None:
    """A profile snapshot (created is version 0, updates carry the customer's version)."""
    fields = {**profile, "profile_version": version}
    await _upsert_if(db, customer_id, _newer("profile_version", version), {"$set": fields})


async def apply_created(
    db: AsyncDatabase[Document], customer_id: str, profile: Document, tier: str, at: datetime
) -> None:
    """A new customer: profile (version 0) and tier in one write when neither is known yet
    (the usual case); otherwise each part applies only where it is newer."""
    fields = {**profile, "profile_version": 0, "tier": tier, "tier_as_of": at}
    result = await db[CUSTOMERS].update_one(
        {"_id": customer_id}, {"$setOnInsert": fields}, upsert=True
    )
    if result.upserted_id is None:
        await apply_profile(db, customer_id, 0, profile)
        await apply_tier(db, customer_id, tier, at)


async def apply_tier(
    db: AsyncDatabase[Document], customer_id: str, tier: str, as_of: datetime
) -> None:
    await _upsert_if(
        db, customer_id, _newer("tier_as_of", as_of), {"$set": {"tier": tier, "tier_as_of": as_of}}
    )


async def apply_consumption(
    db: AsyncDatabase[Document],
    customer_id: str,
    total: Decimal,
    last_consumption_at: datetime | None,
    as_of: datetime,
) -> None:
    update: Document = {"$set": {"total_consumption": total, "consumption_as_of": as_of}}
    if last_consumption_at is not None:
        update["$max"] = {"last_activity_at": last_consumption_at}
    await _upsert_if(db, customer_id, _newer("consumption_as_of", as_of), update)


async def record_activity(db: AsyncDatabase[Document], customer_id: str, at: datetime) -> None:
    await _upsert_if(db, customer_id, {}, {"$max": {"last_activity_at": at}})


async def erase(db: AsyncDatabase[Document], customer_id: str, erased_at: datetime) -> None:
    """Right to erasure: drop personal data here, in queued messages and in consent records."""
    await tombstone(db[CUSTOMERS], customer_id, erased_at)
    await db[DELIVERIES].update_many(
        {"customer_id": customer_id, "status": {"$in": ["queued", "sending"]}},
        {"$set": {"status": "suppressed", "suppressed_reason": "erased"}},
    )
    await db[DELIVERIES].update_many(
        {"customer_id": customer_id}, {"$unset": {"email": "", "variables": ""}}
    )
    await db[SUBSCRIPTIONS].update_many({"_id": customer_id}, {"$unset": {"email": ""}})
    await db[RESPONSES].update_many(
        {"customer_id": customer_id},
        {"$set": {"name": "(erased)"}, "$unset": {"email": "", "phone": "", "interest": ""}},
    )


async def ids(db: AsyncDatabase[Document], query: Mapping[str, Any]) -> list[str]:
    """The ids of the (not erased) customers matching ``query``."""
    cursor = db[CUSTOMERS].find({"$and": [dict(query), dict(LIVE)]}, projection={"_id": True})
    return [document["_id"] async for document in cursor]


async def find(db: AsyncDatabase[Document], customer_id: str) -> Document | None:
    return await db[CUSTOMERS].find_one(live({"_id": customer_id}))
