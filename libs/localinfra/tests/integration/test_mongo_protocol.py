"""What our chassis relies on, checked against the MongoDB-protocol server in use.

Locally that is mongo-java-server; the same tests pass on real MongoDB. Tests
marked :func:`known_gap` pin a known gap of mongo-java-server (listed in the
README): on it they are ``xfail(strict=True)``, so if the gap closes they fail and
the list must be updated; on any other server (real MongoDB) they simply run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from bson import Decimal128
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure

pytestmark = pytest.mark.integration

Doc = dict[str, Any]
LOCAL_GAP = "gap of mongo-java-server, see libs/localinfra/README.md"
Test = TypeVar("Test", bound=Callable[..., Any])


def known_gap(raises: type[BaseException]) -> Callable[[Test], Test]:
    """Mark a test that fails with ``raises`` on mongo-java-server only."""

    def mark(test: Test) -> Test:
        test.known_gap = raises  # type: ignore[attr-defined]
        return test

    return mark


@pytest.fixture(scope="session")
async def mongo_java_server(mongo_url: str) -> bool:
    """Whether the server in use is mongo-java-server: its ``buildInfo`` gives only the
    version it reports, MongoDB's also names the commit it was built from."""
    client: AsyncMongoClient[Doc] = AsyncMongoClient(mongo_url)
    try:
        info = await client.admin.command("buildInfo")
    finally:
        await client.close()
    return "gitVersion" not in info


@pytest.fixture(autouse=True)
def _known_gaps_fail_on_mongo_java_server(
    request: pytest.FixtureRequest, mongo_java_server: bool
) -> None:
    raises = getattr(request.function, "known_gap", None)
    if raises is not None and mongo_java_server:
        request.applymarker(pytest.mark.xfail(reason=LOCAL_GAP, strict=True, raises=raises))


@pytest.fixture
async def db(mongo_url: str, mongo_db_name: str) -> AsyncIterator[AsyncDatabase[Doc]]:
    client: AsyncMongoClient[Doc] = AsyncMongoClient(mongo_url, tz_aware=True)
    yield client[mongo_db_name]
    await client.close()


async def test_unique_and_compound_indexes_reject_duplicates_with_code_11000(
    db: AsyncDatabase[Doc],
) -> None:
    customers = db["customers"]
    names = await customers.create_indexes(
        [
            IndexModel([("email", ASCENDING)], unique=True, name="email_unique"),
            IndexModel([("tenant", ASCENDING), ("number", DESCENDING)], unique=True),
        ]
    )
    assert names == ["email_unique", "tenant_1_number_-1"]
    await customers.insert_one({"_id": "c1", "email": "a@x.test", "tenant": "t1", "number": 1})
    await customers.insert_one({"_id": "c2", "email": "b@x.test", "tenant": "t2", "number": 1})

    with pytest.raises(DuplicateKeyError) as same_email:
        await customers.insert_one({"_id": "c3", "email": "a@x.test", "tenant": "t3", "number": 1})
    with pytest.raises(DuplicateKeyError) as same_pair:
        await customers.insert_one({"_id": "c4", "email": "c@x.test", "tenant": "t1", "number": 1})
    with pytest.raises(DuplicateKeyError) as same_id:
        await customers.insert_one({"_id": "c1", "email": "d@x.test"})

    assert same_email.value.code == same_pair.value.code == same_id.value.code == 11000
    assert await customers.count_documents({}) == 2


async def test_sparse_unique_index_allows_many_documents_without_the_field(
    db: AsyncDatabase[Doc],
) -> None:
    leads = db["leads"]
    await leads.create_index("external_id", unique=True, sparse=True)
    await leads.insert_many([{"_id": 1}, {"_id": 2}])
    await leads.insert_one({"_id": 3, "external_id": "crm-1"})
    with pytest.raises(DuplicateKeyError):
        await leads.insert_one({"_id": 4, "external_id": "crm-1"})


async def test_a_duplicate_key_error_names_the_key_of_the_violated_index(
    db: AsyncDatabase[Doc],
) -> None:
    """Which field is taken comes from ``keyPattern``, never from the message's text:
    the e-mail ``phone.lover@x.test`` names another field in passing."""
    people = db["people"]
    await people.create_indexes(
        [
            IndexModel([("email", ASCENDING)], unique=True, sparse=True, name="email_unique"),
            IndexModel([("phone", ASCENDING)], unique=True, sparse=True, name="phone_unique"),
            IndexModel([("tenant", ASCENDING), ("number", DESCENDING)], unique=True),
        ]
    )
    await people.insert_one({"_id": 1, "email": "phone.lover@x.test", "tenant": "t", "number": 1})
    await people.insert_one({"_id": 2, "phone": "+1 555", "tenant": "t", "number": 2})
    taken = {"email": "phone.lover@x.test"}

    with pytest.raises(DuplicateKeyError) as inserted:
        await people.insert_one({"_id": 3, **taken})
    with pytest.raises(DuplicateKeyError) as updated:
        await people.update_one({"_id": 2}, {"$set": taken})
    with pytest.raises(DuplicateKeyError) as found_and_updated:
        await people.find_one_and_update({"_id": 2}, {"$set": taken})
    with pytest.raises(DuplicateKeyError) as same_pair:
        await people.update_one({"_id": 2}, {"$set": {"number": 1}})
    with pytest.raises(DuplicateKeyError) as same_id:
        await people.insert_one({"_id": 1})

    for error in (inserted, updated, found_and_updated):
        assert (error.value.details or {})["keyPattern"] == {"email": 1}
    assert (same_pair.value.details or {})["keyPattern"] == {"tenant": 1, "number": -1}
    assert (same_id.value.details or {})["keyPattern"] == {"_id": 1}


@known_gap(raises=DuplicateKeyError)
async def test_partial_unique_index_ignores_documents_outside_its_filter(
    db: AsyncDatabase[Doc],
) -> None:
    users = db["users"]
    await users.create_index("email", unique=True, partialFilterExpression={"deleted": False})
    await users.insert_one({"email": "a@x.test", "deleted": True})
    await users.insert_one({"email": "a@x.test", "deleted": True})


async def test_find_one_and_update_returns_the_new_document_and_upserts(
    db: AsyncDatabase[Doc],
) -> None:
    counters = db["counters"]
    first = await counters.find_one_and_update(
        {"_id": "ticket"},
        {"$inc": {"value": 1}, "$setOnInsert": {"created": True}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    second = await counters.find_one_and_update(
        {"_id": "ticket"}, {"$inc": {"value": 1}}, return_document=ReturnDocument.AFTER
    )
    assert first == {"_id": "ticket", "value": 1, "created": True}
    assert second == {"_id": "ticket", "value": 2, "created": True}

    result = await counters.update_one(
        {"_id": "other", "kind": "x"}, {"$set": {"n": 1}}, upsert=True
    )
    assert result.upserted_id == "other"
    assert await counters.find_one({"_id": "other"}) == {"_id": "other", "kind": "x", "n": 1}


async def test_update_conditioned_on_version_applies_once(db: AsyncDatabase[Doc]) -> None:
    deals = db["deals"]
    await deals.insert_one({"_id": "d1", "version": 1, "stage": "new"})

    async def move_to(stage: str) -> int:
        result = await deals.update_one(
            {"_id": "d1", "version": 1}, {"$set": {"stage": stage}, "$inc": {"version": 1}}
        )
        return result.modified_count

    outcomes = await asyncio.gather(*(move_to(f"stage-{i}") for i in range(20)))
    assert sum(outcomes) == 1
    stored = await deals.find_one({"_id": "d1"})
    assert stored is not None
    assert stored["version"] == 2


async def test_concurrent_increments_are_not_lost(db: AsyncDatabase[Doc]) -> None:
    stats = db["stats"]
    await stats.insert_one({"_id": "s", "n": 0})
    await asyncio.gather(*(stats.update_one({"_id": "s"}, {"$inc": {"n": 1}}) for _ in range(200)))
    assert await stats.find_one({"_id": "s"}) == {"_id": "s", "n": 200}


async def test_concurrent_find_one_and_update_returns_each_value_once(
    db: AsyncDatabase[Doc],
) -> None:
    """findAndModify is atomic: every caller sees its own post-image (counters, sequences).

    mongo-java-server 1.47.0 returned the stored document itself and serialised it
    after releasing the lock, so concurrent callers got duplicates (~20 of 200);
    our launcher copies it under the lock (tools/mongo-launcher).
    """
    counters = db["counters"]
    await counters.insert_one({"_id": "seq", "value": 0})

    results = await asyncio.gather(
        *(
            counters.find_one_and_update(
                {"_id": "seq"}, {"$inc": {"value": 1}}, return_document=ReturnDocument.AFTER
            )
            for _ in range(200)
        )
    )

    assert sorted(result["value"] for result in results if result is not None) == list(
        range(1, 201)
    )
    assert await counters.find_one({"_id": "seq"}) == {"_id": "seq", "value": 200}


async def test_concurrent_claims_with_find_one_and_update_have_one_winner(
    db: AsyncDatabase[Doc],
) -> None:
    jobs = db["jobs"]
    await jobs.insert_one({"_id": "job-1", "owner": None})

    claims = await asyncio.gather(
        *(
            jobs.find_one_and_update(
                {"_id": "job-1", "owner": None},
                {"$set": {"owner": f"worker-{i}"}},
                return_document=ReturnDocument.AFTER,
            )
            for i in range(50)
        )
    )

    winners = [claim for claim in claims if claim is not None]
    assert len(winners) == 1
    assert await jobs.find_one({"_id": "job-1"}) == winners[0]


async def test_concurrent_upserts_create_one_document(db: AsyncDatabase[Doc]) -> None:
    counters = db["counters"]
    results = await asyncio.gather(
        *(
            counters.find_one_and_update(
                {"name": "orders"},
                {"$inc": {"value": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
            for _ in range(50)
        )
    )
    assert sorted(result["value"] for result in results if result is not None) == list(range(1, 51))
    assert await counters.count_documents({"name": "orders"}) == 1

    daily = db["daily"]
    await daily.create_index("day", unique=True)
    await asyncio.gather(
        *(
            daily.update_one({"day": "2024-05-06"}, {"$inc": {"n": 1}}, upsert=True)
            for _ in range(50)
        )
    )
    assert await daily.count_documents({}) == 1
    stored = await daily.find_one({"day": "2024-05-06"})
    assert stored is not None
    assert stored["n"] == 50


async def test_array_and_field_update_operators(db: AsyncDatabase[Doc]) -> None:
    tickets = db["tickets"]
    await tickets.insert_one(
        {
            "_id": "t1",
            "history": ["a"],
            "tags": ["vip"],
            "replies": [{"by": "x", "score": 1}, {"by": "y", "score": 9}],
            "max_seen": 5,
            "draft": "remove me",
        }
    )

    after = await tickets.find_one_and_update(
        {"_id": "t1"},
        {
            "$push": {"history": {"$each": ["b", "c", "d"], "$slice": -3}},
            "$pull": {"replies": {"score": {"$lt": 5}}},
            "$addToSet": {"tags": {"$each": ["vip", "escalated"]}},
            "$max": {"max_seen": 3},
            "$set": {"status": "open"},
            "$unset": {"draft": ""},
        },
        return_document=ReturnDocument.AFTER,
    )

    assert after == {
        "_id": "t1",
        "history": ["b", "c", "d"],
        "tags": ["vip", "escalated"],
        "replies": [{"by": "y", "score": 9}],
        "max_seen": 5,
        "status": "open",
    }
    raised = await tickets.find_one_and_update(
        {"_id": "t1"}, {"$max": {"max_seen": 8}}, return_document=ReturnDocument.AFTER
    )
    assert raised is not None
    assert raised["max_seen"] == 8


async def test_queries_with_exists_sort_skip_limit_and_count(db: AsyncDatabase[Doc]) -> None:
    contacts = db["contacts"]
    await contacts.insert_many(
        [{"_id": i, "rank": i, **({"phone": "1"} if i % 2 else {})} for i in range(10)]
    )

    page = await contacts.find({}, {"_id": 1}).sort("rank", DESCENDING).skip(2).limit(3).to_list()

    assert page == [{"_id": 7}, {"_id": 6}, {"_id": 5}]
    assert await contacts.count_documents({"phone": {"$exists": True}}) == 5
    assert await contacts.count_documents({"phone": {"$exists": False}, "rank": {"$gte": 4}}) == 3


async def test_aggregation_match_group_sort_project_and_lookup(db: AsyncDatabase[Doc]) -> None:
    await db["orders"].insert_many(
        [
            {"_id": 1, "customer": "c1", "total": Decimal128("10.10")},
            {"_id": 2, "customer": "c1", "total": Decimal128("5.05")},
            {"_id": 3, "customer": "c2", "total": Decimal128("1.00")},
            {"_id": 4, "customer": "c2", "total": Decimal128("9.99"), "cancelled": True},
        ]
    )
    await db["customers"].insert_many([{"_id": "c1", "name": "Ada"}, {"_id": "c2", "name": "Bo"}])

    cursor = await db["orders"].aggregate(
        [
            {"$match": {"cancelled": {"$exists": False}}},
            {"$group": {"_id": "$customer", "revenue": {"$sum": "$total"}, "orders": {"$sum": 1}}},
            {"$sort": {"revenue": -1}},
            {
                "$lookup": {
                    "from": "customers",
                    "localField": "_id",
                    "foreignField": "_id",
                    "as": "c",
                }
            },
            {
                "$project": {
                    "_id": 0,
                    "customer": "$_id",
                    "name": {"$arrayElemAt": ["$c.name", 0]},
                    "revenue": 1,
                    "orders": 1,
                }
            },
        ]
    )

    assert await cursor.to_list() == [
        {"customer": "c1", "name": "Ada", "revenue": Decimal128("15.15"), "orders": 2},
        {"customer": "c2", "name": "Bo", "revenue": Decimal128("1.00"), "orders": 1},
    ]


async def test_decimal128_and_aware_datetimes_round_trip(db: AsyncDatabase[Doc]) -> None:
    at = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC)
    await db["payments"].insert_one(
        {"_id": "p", "amount": Decimal128(Decimal("1234.56")), "at": at}
    )

    stored = await db["payments"].find_one({"_id": "p", "at": {"$gte": at}})

    assert stored is not None
    assert stored["amount"].to_decimal() == Decimal("1234.56")
    assert stored["at"] == at
    assert stored["at"].utcoffset() == dt.timedelta(0)


@known_gap(raises=OperationFailure)
async def test_date_trunc_groups_by_month(db: AsyncDatabase[Doc]) -> None:
    await db["events"].insert_one({"at": dt.datetime(2024, 5, 6, tzinfo=dt.UTC)})
    cursor = await db["events"].aggregate(
        [{"$group": {"_id": {"$dateTrunc": {"date": "$at", "unit": "month"}}, "n": {"$sum": 1}}}]
    )
    assert len(await cursor.to_list()) == 1


@known_gap(raises=AssertionError)
async def test_projecting_a_dotted_path_into_an_array_keeps_the_array(
    db: AsyncDatabase[Doc],
) -> None:
    await db["people"].insert_one({"_id": 1, "c": [{"name": "Ada", "age": 36}]})
    cursor = await db["people"].aggregate([{"$project": {"_id": 0, "c.name": 1}}])
    assert await cursor.to_list() == [{"c": [{"name": "Ada"}]}]


@known_gap(raises=OperationFailure)
async def test_update_with_an_aggregation_pipeline(db: AsyncDatabase[Doc]) -> None:
    await db["lines"].insert_one({"_id": 1, "qty": 2})
    await db["lines"].update_one({"_id": 1}, [{"$set": {"double": {"$multiply": ["$qty", 2]}}}])
