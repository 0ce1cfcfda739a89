"""Local copies of another service's records: newer event wins, ties broken by event id,
and an erased record stays erased whatever arrives after."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.local_copies import Stamp, apply_if_newer, tombstone
from crm_chassis.mongo import Document

pytestmark = pytest.mark.integration

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def copies(db: AsyncDatabase[Document]) -> AsyncCollection[Document]:
    return db[f"copies_{uuid.uuid4().hex[:8]}"]


async def _copy(copies: AsyncCollection[Document]) -> Document | None:
    return await copies.find_one({"_id": "c-1"}, {"_applied": 0})


async def test_the_newest_version_wins_in_any_arrival_order(
    copies: AsyncCollection[Document],
) -> None:
    assert await apply_if_newer(copies, "c-1", "profile", Stamp(2, "e-2"), {"name": "Wang"})
    assert not await apply_if_newer(copies, "c-1", "profile", Stamp(1, "e-1"), {"name": "Old"})
    assert await _copy(copies) == {"_id": "c-1", "name": "Wang"}
    assert await apply_if_newer(copies, "c-1", "profile", Stamp(3, "e-3"), {"name": "Li"})
    assert await _copy(copies) == {"_id": "c-1", "name": "Li"}


async def test_a_redelivered_event_changes_nothing(copies: AsyncCollection[Document]) -> None:
    assert await apply_if_newer(copies, "c-1", "profile", Stamp(1, "e-1"), {"name": "Wang"})
    assert not await apply_if_newer(copies, "c-1", "profile", Stamp(1, "e-1"), {"name": "Wang"})


@pytest.mark.parametrize("arrival", [("e-a", "e-b"), ("e-b", "e-a")])
async def test_a_tie_is_broken_by_the_event_id(
    copies: AsyncCollection[Document], arrival: tuple[str, str]
) -> None:
    names = {"e-a": "From A", "e-b": "From B"}
    for event_id in arrival:
        await apply_if_newer(copies, "c-1", "tier", Stamp(T0, event_id), {"name": names[event_id]})
    assert await _copy(copies) == {"_id": "c-1", "name": "From B"}


async def test_aspects_are_ordered_apart_and_insert_only_fields_are_set_once(
    copies: AsyncCollection[Document],
) -> None:
    await apply_if_newer(
        copies, "c-1", "tier", Stamp(T0, "e-9"), {"tier": "vip"}, on_insert={"history": []}
    )
    await copies.update_one({"_id": "c-1"}, {"$push": {"history": "order o-1"}})
    # A profile event of version 0 is not older than a tier change of another order.
    assert await apply_if_newer(
        copies, "c-1", "profile", Stamp(0, "e-1"), {"name": "Wang"}, on_insert={"history": []}
    )
    assert not await apply_if_newer(
        copies, "c-1", "tier", Stamp(T0 - timedelta(days=1), "e-8"), {"tier": "normal"}
    )
    assert await _copy(copies) == {
        "_id": "c-1",
        "tier": "vip",
        "history": ["order o-1"],
        "name": "Wang",
    }


async def test_an_erased_record_is_never_written_again(copies: AsyncCollection[Document]) -> None:
    await apply_if_newer(copies, "c-1", "profile", Stamp(1, "e-1"), {"name": "Wang"})
    await tombstone(copies, "c-1", T0)
    late = await apply_if_newer(copies, "c-1", "profile", Stamp(5, "e-5"), {"name": "Wang"})
    assert not late
    assert await copies.find_one({"_id": "c-1"}) == {
        "_id": "c-1",
        "erased": True,
        "erased_at": T0,
    }


async def test_an_erasure_that_arrives_first_keeps_the_record_out(
    copies: AsyncCollection[Document],
) -> None:
    await tombstone(copies, "c-1", T0)
    assert not await apply_if_newer(copies, "c-1", "profile", Stamp(0, "e-0"), {"name": "Wang"})
    assert await copies.count_documents({"name": {"$exists": True}}) == 0
