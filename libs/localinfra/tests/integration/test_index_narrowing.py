"""Queries holding a unique index's keys plus other conditions, on both backends.

The launcher lets a unique index narrow such queries (``IndexNarrowing.java``); they
must give exactly what a scan gives, for reads, updates, deletes and
``find_one_and_update``, and must still find nothing when a condition fails.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient, IndexModel, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from crm_localinfra.mongo import MongoServer
from crm_localinfra.ports import free_port

pytestmark = pytest.mark.integration

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def h2_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MongoServer]:
    folder: Path = tmp_path_factory.mktemp("h2")
    server = MongoServer(free_port(), folder, h2_file=folder / "data.mv")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", "h2"])
async def docs(
    request: pytest.FixtureRequest, mongo_url: str, mongo_db_name: str
) -> AsyncIterator[AsyncCollection[Doc]]:
    url = mongo_url if request.param == "memory" else request.getfixturevalue("h2_server").url
    client: AsyncMongoClient[Doc] = AsyncMongoClient(url)
    collection = client[mongo_db_name]["narrowing"]
    await collection.create_indexes(
        [
            IndexModel([("email", 1)], unique=True, sparse=True),
            IndexModel([("region", 1), ("number", 1)], unique=True),
        ]
    )
    await collection.insert_many(
        [
            {
                "_id": f"c{n}",
                "version": 1,
                "region": "north" if n % 2 else "south",
                "number": n,
                "tags": ["vip"] if n % 3 == 0 else [],
                **({"email": f"c{n}@example.com"} if n % 4 == 0 else {}),
            }
            for n in range(40)
        ]
    )
    yield collection
    await collection.drop()
    await client.close()


async def test_a_condition_beside_the_id_still_decides(docs: AsyncCollection[Doc]) -> None:
    assert await docs.find_one({"_id": "c3", "version": 1}) is not None
    assert await docs.find_one({"_id": "c3", "version": 2}) is None
    assert await docs.find_one({"_id": "c3", "tags": "vip", "region": "north"}) is not None
    assert await docs.find_one({"_id": "c4", "tags": "vip"}) is None
    assert await docs.find_one({"_id": "c3", "$or": [{"version": 5}, {"number": 3}]}) is not None


async def test_a_conditional_update_applies_once(docs: AsyncCollection[Doc]) -> None:
    first = await docs.update_one({"_id": "c5", "version": 1}, {"$inc": {"version": 1}})
    again = await docs.update_one({"_id": "c5", "version": 1}, {"$inc": {"version": 1}})

    assert (first.modified_count, again.matched_count) == (1, 0)
    assert (await docs.find_one({"_id": "c5"}) or {})["version"] == 2


async def test_find_one_and_update_and_delete_narrowed_by_id(docs: AsyncCollection[Doc]) -> None:
    claimed = await docs.find_one_and_update(
        {"_id": "c6", "lease": {"$exists": False}},
        {"$set": {"lease": "me"}},
        return_document=ReturnDocument.AFTER,
    )
    taken = await docs.find_one_and_update(
        {"_id": "c6", "lease": {"$exists": False}}, {"$set": {"lease": "other"}}
    )
    deleted = await docs.delete_one({"_id": "c6", "lease": "other"})

    assert (claimed or {}).get("lease") == "me"
    assert taken is None
    assert deleted.deleted_count == 0


async def test_other_unique_indexes_narrow_too(docs: AsyncCollection[Doc]) -> None:
    by_email = await docs.find_one({"email": "c8@example.com", "version": 1})
    by_pair = await docs.find_one({"region": "north", "number": 7, "version": 1})
    wrong_pair = await docs.find_one({"region": "south", "number": 7, "version": 1})

    assert (by_email or {}).get("_id") == "c8"
    assert (by_pair or {}).get("_id") == "c7"
    assert wrong_pair is None


async def test_queries_an_index_cannot_narrow_match_as_a_scan(
    docs: AsyncCollection[Doc],
) -> None:
    in_list = await docs.find({"_id": {"$in": ["c1", "c2", "c9"]}, "region": "north"}).to_list()
    no_email = await docs.count_documents({"email": None, "region": "south"})
    sorted_page = await docs.find({"region": "north", "version": 1}, sort=[("number", -1)]).to_list(
        3
    )

    assert sorted(d["_id"] for d in in_list) == ["c1", "c9"]
    assert no_email == 10  # 20 in the south, 10 of them with an email
    assert [d["number"] for d in sorted_page] == [39, 37, 35]
