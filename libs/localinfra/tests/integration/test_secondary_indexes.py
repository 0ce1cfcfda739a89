"""Non-unique indexes, which the launcher keeps (``SecondaryIndex.java``), on both backends.

A query on such an index must give exactly what a scan gives, through inserts,
updates that move a document between keys, array (multikey) values and deletes;
a sparse index answers ``$exists: true`` with the documents that hold the field.
An aggregation led by a ``$match`` (``count_documents`` is one) runs over the
index's candidates and must also give what a scan gives. On H2 the index is rebuilt
from the stored documents when the server restarts.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from crm_localinfra.mongo import MongoServer
from crm_localinfra.ports import free_port

pytestmark = pytest.mark.integration

Doc = dict[str, Any]
INDEXES = [
    IndexModel([("owner", 1)]),
    IndexModel([("tags", 1)]),
    IndexModel([("owner", 1), ("status", 1)]),
    IndexModel([("pending_since", 1)], sparse=True),
    IndexModel([("lines.sku", 1)]),
]


async def _seed(collection: AsyncCollection[Doc]) -> None:
    await collection.create_indexes(INDEXES)
    await collection.insert_many(
        [
            {
                "_id": f"d{n}",
                "owner": f"rep-{n % 3}",
                "status": "open" if n % 2 else "won",
                "tags": [f"t{n % 4}", "all"],
                "lines": [{"sku": f"sku-{n}"}, {"sku": f"sku-{n + 100}"}],
                **({"pending_since": n} if n % 5 == 0 else {}),
            }
            for n in range(30)
        ]
    )


async def _ids(collection: AsyncCollection[Doc], query: Doc) -> list[str]:
    return sorted(document["_id"] for document in await collection.find(query).to_list())


@pytest.fixture(params=["memory", "h2"])
async def docs(
    request: pytest.FixtureRequest, mongo_url: str, mongo_db_name: str, tmp_path: Path
) -> AsyncIterator[AsyncCollection[Doc]]:
    server = None
    if request.param == "h2":
        server = MongoServer(free_port(), tmp_path, h2_file=tmp_path / "data.mv")
        server.start()
    client: AsyncMongoClient[Doc] = AsyncMongoClient(server.url if server else mongo_url)
    collection = client[mongo_db_name]["secondary"]
    await _seed(collection)
    yield collection
    await collection.drop()
    await client.close()
    if server is not None:
        server.stop()


async def test_equality_on_indexed_keys_finds_what_a_scan_finds(
    docs: AsyncCollection[Doc],
) -> None:
    assert await _ids(docs, {"owner": "rep-1"}) == sorted(f"d{n}" for n in range(1, 30, 3))
    assert await _ids(docs, {"owner": "rep-1", "status": "won"}) == [
        "d10",
        "d16",
        "d22",
        "d28",
        "d4",
    ]
    assert await _ids(docs, {"tags": "t3", "owner": "rep-0"}) == ["d15", "d27", "d3"]
    assert len(await _ids(docs, {"tags": "all"})) == 30
    assert await _ids(docs, {"owner": "nobody"}) == []
    assert await _ids(docs, {"lines.sku": "sku-107"}) == ["d7"]  # a path through an array


async def test_updates_and_deletes_move_documents_between_keys(
    docs: AsyncCollection[Doc],
) -> None:
    await docs.update_one({"_id": "d1"}, {"$set": {"owner": "rep-9"}})
    await docs.update_one({"_id": "d2"}, {"$push": {"tags": "new"}})
    await docs.update_many({"owner": "rep-0"}, {"$set": {"status": "lost"}})
    await docs.delete_one({"_id": "d4"})

    assert await _ids(docs, {"owner": "rep-9"}) == ["d1"]
    assert "d1" not in await _ids(docs, {"owner": "rep-1"})
    assert "d4" not in await _ids(docs, {"owner": "rep-1"})
    assert await _ids(docs, {"tags": "new"}) == ["d2"]
    assert await _ids(docs, {"owner": "rep-0", "status": "lost"}) == await _ids(
        docs, {"owner": "rep-0"}
    )
    assert await _ids(docs, {"owner": "rep-0", "status": "open"}) == []


async def test_a_sparse_index_answers_exists_with_the_holders(docs: AsyncCollection[Doc]) -> None:
    await docs.update_one({"_id": "d5"}, {"$unset": {"pending_since": ""}})
    await docs.update_one({"_id": "d7"}, {"$set": {"pending_since": 7}})

    pending = await docs.find(
        {"pending_since": {"$exists": True}, "$or": [{"owner": "rep-0"}, {"owner": "rep-1"}]},
        sort=[("pending_since", 1)],
    ).to_list()

    assert [d["_id"] for d in pending] == ["d0", "d7", "d10", "d15", "d25"]


@pytest.mark.parametrize(
    "query",
    [
        {"owner": "rep-1"},
        {"owner": "rep-1", "status": "won"},
        {"owner": "rep-1", "status": {"$ne": "won"}},
        {"tags": "t2"},
        {"lines.sku": "sku-103"},
        {"_id": "d4"},
        {"_id": "d4", "owner": "rep-2"},
        {"owner": "nobody"},
        {"status": "won"},
    ],
    ids=repr,
)
async def test_an_aggregation_led_by_a_match_gives_what_a_scan_gives(
    docs: AsyncCollection[Doc], query: Doc
) -> None:
    everything = await docs.find({}).to_list()
    expected = [d for d in everything if all(_holds(d, k, v) for k, v in query.items())]
    by_status = Counter(d["status"] for d in expected)

    assert await docs.count_documents(query) == len(expected)
    assert await docs.count_documents(query, limit=2) == min(2, len(expected))
    grouped = await docs.aggregate(
        [{"$match": query}, {"$group": {"_id": "$status", "n": {"$sum": 1}}}]
    )
    assert {g["_id"]: g["n"] async for g in grouped} == dict(by_status)


def _holds(document: Doc, key: str, wanted: Any) -> bool:
    """The few query shapes above, evaluated in Python as a scan would."""
    if isinstance(wanted, dict):
        return document.get(key) != wanted["$ne"]
    if key == "lines.sku":
        return any(line["sku"] == wanted for line in document["lines"])
    value = document.get(key)
    return wanted in value if isinstance(value, list) else value == wanted


async def test_h2_rebuilds_the_index_after_a_restart(mongo_db_name: str, tmp_path: Path) -> None:
    server = MongoServer(free_port(), tmp_path, h2_file=tmp_path / "data.mv")
    server.start()
    try:
        client: AsyncMongoClient[Doc] = AsyncMongoClient(server.url)
        await _seed(client[mongo_db_name]["secondary"])
        await client.close()
        server.stop()
        server.start()
        client = AsyncMongoClient(server.url)
        collection = client[mongo_db_name]["secondary"]
        await collection.create_indexes(INDEXES)  # as a service does on every start

        assert await _ids(collection, {"owner": "rep-2", "status": "open"}) == [
            "d11", "d17", "d23", "d29", "d5"
        ]  # fmt: skip
        assert len(await _ids(collection, {"pending_since": {"$exists": True}})) == 6
        await client.close()
    finally:
        server.stop()


async def test_an_indexed_query_or_count_does_not_scan_the_collection(
    mongo_url: str, mongo_db_name: str
) -> None:
    client: AsyncMongoClient[Doc] = AsyncMongoClient(mongo_url)
    collection = client[mongo_db_name]["secondary_large"]
    await collection.create_indexes([IndexModel([("owner", 1)])])
    await collection.insert_many(
        [{"_id": n, "owner": f"rep-{n}", "copy": f"rep-{n}"} for n in range(20_000)]
    )

    async def found(query: Doc) -> int:
        return len(await collection.find(query).to_list())

    async def median_ms(operation: Callable[[Doc], Awaitable[int]], query: Doc) -> float:
        timings = []
        for _ in range(15):
            started = time.perf_counter()
            assert await operation(query) == 1
            timings.append(time.perf_counter() - started)
        return statistics.median(timings) * 1000

    try:
        for operation in (found, collection.count_documents):
            indexed = await median_ms(operation, {"owner": "rep-7"})
            scanned = await median_ms(operation, {"copy": "rep-7"})
            assert indexed * 3 < scanned, (operation, indexed, scanned)
    finally:
        await collection.drop()
        await client.close()
