"""The active subscriptions read for every consumed event are kept for a moment: a
change through this gateway shows at once, one through another replica within the TTL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from gateway.domain.webhooks import SubscriptionRecord
from gateway.store.webhooks import SubscriptionStore


@pytest.fixture
async def db(mongo_url: str, mongo_db_name: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    yield client[mongo_db_name]
    await client.close()


def _record(subscription_id: str) -> SubscriptionRecord:
    now = datetime.now(UTC)
    return SubscriptionRecord(
        id=subscription_id,
        url="https://erp.example.com/hooks",
        event_types=["crm.customer.*"],
        secret="s3cret",
        created_by="admin",
        created_at=now,
        updated_at=now,
    )


async def test_a_change_through_this_store_is_seen_at_once(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    store = SubscriptionStore(db, active_ttl_seconds=3600)
    assert await store.active() == []

    await store.insert(_record("s1"))
    assert [s.id for s in await store.active()] == ["s1"]

    await store.disable("s1", "test")
    assert await store.active() == []


async def test_a_change_through_another_replica_is_seen_once_the_ttl_has_passed(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    now = [0.0]
    here = SubscriptionStore(db, active_ttl_seconds=1.0, clock=lambda: now[0])
    other_replica = SubscriptionStore(db)
    assert await here.active() == []

    await other_replica.insert(_record("s1"))
    now[0] = 0.5
    assert await here.active() == []
    now[0] = 1.0
    assert [s.id for s in await here.active()] == ["s1"]
