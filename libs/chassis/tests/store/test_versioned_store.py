"""The versioned aggregate store every service saves through, on a real server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.domain_errors import DuplicateValue, RecordNotFound, VersionConflict
from crm_chassis.events import OUTBOX_FIELD
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from crm_contracts.events.customer import CustomerCreated, CustomerUpdated

pytestmark = pytest.mark.integration


class Thing(BaseModel):
    thing_id: str
    name: str
    email: str | None = None
    version: int = 0


class Notifications:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


@pytest.fixture
def notified() -> Notifications:
    return Notifications()


@pytest.fixture
async def things(db: AsyncDatabase[Document], notified: Notifications) -> VersionedStore[Thing]:
    collection = db[f"things_{uuid.uuid4().hex[:8]}"]
    return VersionedStore(collection, ModelCodec(Thing, "thing_id"), notify=notified)


def _created(thing: Thing) -> CustomerCreated:
    return CustomerCreated(
        customer_id=thing.thing_id, member_id="VIP1", name=thing.name, created_at=datetime.now(UTC)
    )


def _renamed(thing: Thing) -> CustomerUpdated:
    return CustomerUpdated(
        customer_id=thing.thing_id,
        version=thing.version,
        name=thing.name,
        updated_at=datetime.now(UTC),
    )


async def test_a_saved_aggregate_reads_back_without_the_outbox_and_its_events_wait_there(
    things: VersionedStore[Thing], notified: Notifications
) -> None:
    thing = Thing(thing_id="t-1", name="Lamp")
    await things.insert(thing, [_created(thing)])

    assert await things.get("t-1") == thing
    stored = await things.collection.find_one({"_id": "t-1"})
    assert stored is not None
    [pending] = stored[OUTBOX_FIELD]
    assert pending["event"]["subject"] == "t-1"
    assert pending["event"]["type"] == CustomerCreated.TYPE
    assert notified.count == 1


async def test_save_bumps_the_version_and_a_stale_save_changes_nothing(
    things: VersionedStore[Thing], notified: Notifications
) -> None:
    await things.insert(Thing(thing_id="t-1", name="Lamp"))
    renamed = Thing(thing_id="t-1", name="Desk lamp")
    saved = await things.save(renamed, 0, [_renamed(renamed)])
    assert (saved.name, saved.version) == ("Desk lamp", 1)

    with pytest.raises(VersionConflict):
        await things.save(Thing(thing_id="t-1", name="Floor lamp"), 0, [_renamed(renamed)])
    assert await things.get("t-1") == saved
    stored = await things.collection.find_one({"_id": "t-1"})
    assert stored is not None
    assert len(stored[OUTBOX_FIELD]) == 1
    assert notified.count == 1  # the insert had no events, the stale save wrote none


async def test_a_collision_on_a_unique_field_names_that_field(
    things: VersionedStore[Thing],
) -> None:
    await things.collection.create_index("email", unique=True)
    # The value looks like a phone's owner: the field comes from the index, not the text.
    await things.insert(Thing(thing_id="t-1", name="A", email="phone.lover@example.com"))
    with pytest.raises(DuplicateValue) as refused:
        await things.insert(Thing(thing_id="t-2", name="B", email="phone.lover@example.com"))
    assert refused.value.field == "email"
    assert await things.get("t-2") is None


async def test_update_reads_again_when_another_writer_got_in_between(
    things: VersionedStore[Thing], monkeypatch: pytest.MonkeyPatch
) -> None:
    await things.insert(Thing(thing_id="t-1", name="Lamp"))
    seen: list[int] = []

    def add_suffix(current: Thing) -> tuple[Thing, list[CustomerUpdated]] | None:
        seen.append(current.version)
        return current.model_copy(update={"name": f"{current.name}!"}), []

    # Another writer moves the record on between the read and the save, once.
    original_save = things.save

    async def save_after_a_rival(thing: Thing, expected: int, _events: object) -> Thing:
        if len(seen) == 1:
            await things.collection.update_one(
                {"_id": "t-1"}, {"$set": {"name": "Rival"}, "$inc": {"version": 1}}
            )
        return await original_save(thing, expected)

    monkeypatch.setattr(things, "save", save_after_a_rival)
    updated = await things.update("t-1", add_suffix)

    assert seen == [0, 1]
    assert (updated.name, updated.version) == ("Rival!", 2)


async def test_update_of_a_missing_record_is_not_found_and_no_change_writes_nothing(
    things: VersionedStore[Thing],
) -> None:
    with pytest.raises(RecordNotFound):
        await things.update("missing", lambda current: (current, []))
    await things.insert(Thing(thing_id="t-1", name="Lamp"))
    unchanged = await things.update("t-1", lambda _current: None)
    assert unchanged.version == 0


async def test_a_page_has_its_items_in_order_and_the_total(things: VersionedStore[Thing]) -> None:
    for number in range(5):
        await things.insert(Thing(thing_id=f"t-{number}", name=f"Thing {number}"))
    page = await things.page({}, sort=[("name", -1)], offset=1, limit=2)
    assert [thing.thing_id for thing in page.items] == ["t-3", "t-2"]
    assert (page.total, page.offset, page.limit) == (5, 1, 2)


async def test_a_removable_field_the_new_state_lacks_is_removed(
    db: AsyncDatabase[Document],
) -> None:
    class SparseCodec(ModelCodec[Thing]):
        """Leaves out empty values, as a codec does for sparse unique indexes."""

        def to_document(self, aggregate: Thing) -> Document:
            document = super().to_document(aggregate)
            return {key: value for key, value in document.items() if value is not None}

    things = VersionedStore(
        db[f"things_{uuid.uuid4().hex[:8]}"],
        SparseCodec(Thing, "thing_id"),
        removable_fields=frozenset({"email"}),
    )
    await things.insert(Thing(thing_id="t-1", name="Lamp", email="lamp@example.com"))
    await things.save(Thing(thing_id="t-1", name="Lamp"), 0)
    stored = await things.collection.find_one({"_id": "t-1"})
    assert stored is not None
    assert "email" not in stored


async def test_delete_at_a_version_refuses_a_moved_record_and_names_a_missing_one(
    things: VersionedStore[Thing],
) -> None:
    await things.insert(Thing(thing_id="t-1", name="Lamp"))
    await things.save(Thing(thing_id="t-1", name="Desk lamp"), 0)
    with pytest.raises(VersionConflict):
        await things.delete_at("t-1", 0)
    await things.delete_at("t-1", 1)
    assert await things.get("t-1") is None
    with pytest.raises(RecordNotFound, match="No thing t-1"):
        await things.delete_at("t-1", None, "No thing t-1.")


class _FindCommands(monitoring.CommandListener):
    """The ``find`` commands a client sends."""

    def __init__(self) -> None:
        self.sent: list[Document] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find":
            self.sent.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_a_page_is_asked_for_in_one_batch(mongo_url: str, mongo_db_name: str) -> None:
    # Real MongoDB's first batch is otherwise 101 documents: a page of 200 would cost a getMore.
    finds = _FindCommands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(mongo_url, event_listeners=[finds])
    try:
        things = VersionedStore(client[mongo_db_name]["pages"], ModelCodec(Thing, "thing_id"))
        await things.insert(Thing(thing_id="t-1", name="Lamp"))

        await things.find({}, limit=200)

        [find] = finds.sent
        assert find["limit"] == 200
        assert find.get("batchSize", 101) >= 200  # PyMongo asks one more, to close the cursor
    finally:
        await client.close()
