"""The outbox relay publishes what stores wrote, once per event, across outages."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import OUTBOX_FIELD, Eventing, EventingSettings, add_outbox, with_outbox
from crm_contracts.envelope import CloudEvent

pytestmark = pytest.mark.integration

CREATED = "crm.customer.customer.created.v1"
Document = dict[str, Any]
StartEventing = Callable[..., Awaitable[Eventing]]


async def _outbox_is_empty(db: AsyncDatabase[Document], document_id: Any) -> bool:
    document = await db["customers"].find_one({"_id": document_id})
    return document is not None and OUTBOX_FIELD not in document and "_outbox_since" not in document


async def test_written_events_are_published_in_order_and_leave_the_document(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    observe: Callable[[], Awaitable[Any]],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    eventing = await start_eventing()
    receipts = await observe()
    first, second, third = customer_created(), customer_created(), customer_created()

    await db["customers"].insert_one(with_outbox({"_id": "c1", "name": "Ada"}, [first, second]))
    eventing.notify_outbox()
    await eventually(lambda: len(receipts.ids) == 2, what="two events published")
    await db["customers"].update_one(
        {"_id": "c1"}, add_outbox({"$set": {"name": "Ada L."}}, [third])
    )
    eventing.notify_outbox()

    await eventually(lambda: len(receipts.ids) == 3, what="the update's event published")
    assert receipts.ids == [first.id, second.id, third.id]
    received = receipts.messages[0]
    assert received.routing_key == CREATED
    assert received.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert CloudEvent.from_json_bytes(received.body) == first
    await eventually(lambda: _outbox_is_empty(db, "c1"), what="the outbox emptied")
    document = await db["customers"].find_one({"_id": "c1"})
    assert document is not None
    assert document["name"] == "Ada L."
    logged = await db["outbox_log"].find({}).to_list()
    assert {entry["_id"] for entry in logged} == {first.id, second.id, third.id}
    assert {entry["state"] for entry in logged} == {"published"}


async def test_event_nobody_subscribes_to_is_kept_not_rejected(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    settings: EventingSettings,
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    eventing = await start_eventing()
    await db["customers"].insert_one(with_outbox({"_id": "c1"}, [customer_created()]))
    eventing.notify_outbox()

    await eventually(lambda: _outbox_is_empty(db, "c1"), what="the unrouted event published")
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        unrouted = await channel.declare_queue(f"{settings.exchange}.unrouted", passive=True)
        assert unrouted.declaration_result.message_count == 1


async def test_two_relays_on_one_collection_publish_each_event_once(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    observe: Callable[[], Awaitable[Any]],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    replicas = [await start_eventing(), await start_eventing()]
    receipts = await observe()
    written: list[str] = []

    async def write(index: int) -> None:
        events = [customer_created(), customer_created()]
        written.extend(event.id for event in events)
        await db["customers"].insert_one(with_outbox({"_id": f"c{index}"}, events))
        replicas[index % 2].notify_outbox()

    await asyncio.gather(*(write(index) for index in range(40)))
    await eventually(lambda: _no_pending(db), what="every outbox emptied")
    # Everything was confirmed before it left the outbox; a marker published now
    # queues behind it, so once the marker is seen nothing else is on its way.
    marker = customer_created()
    await db["customers"].insert_one(with_outbox({"_id": "marker"}, [marker]))
    replicas[0].notify_outbox()
    await eventually(lambda: marker.id in receipts.ids, what="the marker")

    counts = Counter(receipts.ids)
    assert set(counts) == {*written, marker.id}
    assert max(counts.values()) == 1


async def test_more_pending_documents_than_a_batch_are_all_published_each_in_order(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    settings: EventingSettings,
    observe: Callable[[], Awaitable[Any]],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    small_batches = settings.model_copy(update={"relay_batch_size": 3, "relay_concurrency": 2})
    eventing = await start_eventing(settings_override=small_batches)
    receipts = await observe()
    written = {
        f"c{index}": [customer_created(), customer_created(), customer_created()]
        for index in range(10)
    }
    await db["customers"].insert_many(
        [with_outbox({"_id": key}, events) for key, events in written.items()]
    )
    eventing.notify_outbox()

    await eventually(lambda: _no_pending(db), what="every outbox emptied")
    await eventually(lambda: len(receipts.ids) == 30, what="all 30 events")
    assert Counter(receipts.ids) == Counter(e.id for events in written.values() for e in events)
    for events in written.values():
        positions = [receipts.ids.index(event.id) for event in events]
        assert positions == sorted(positions)


async def _no_pending(db: AsyncDatabase[Document]) -> bool:
    return await db["customers"].count_documents({"_outbox_since": {"$exists": True}}) == 0


@pytest.mark.skipif(
    os.environ.get("CRM_CHAOS") != "1",
    reason="restarts a broker: run with `make chaos` (CRM_CHAOS=1)",
)
async def test_writes_during_a_broker_outage_are_published_when_it_returns(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    settings: EventingSettings,
    rabbitmq_node: Any,
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    # A poll longer than the wait below: the relay must notice the broker is back itself.
    on_node = settings.model_copy(
        update={"amqp_url": rabbitmq_node.url, "relay_poll_seconds": 60.0}
    )
    received: list[str] = []

    async def on_created(event: CloudEvent) -> None:
        received.append(event.id)

    eventing = await start_eventing({CREATED: on_created}, settings_override=on_node)
    before = customer_created()
    await db["customers"].insert_one(with_outbox({"_id": "before"}, [before]))
    eventing.notify_outbox()
    await eventually(lambda: received == [before.id], what="the event before the outage")

    await asyncio.to_thread(rabbitmq_node.stop)
    await eventually(_not_ready(eventing), what="the broker reported down")
    during = customer_created()
    await db["customers"].insert_one(with_outbox({"_id": "during"}, [during]))
    eventing.notify_outbox()
    assert not await _outbox_is_empty(db, "during"), "the write succeeded, its event pending"

    await asyncio.to_thread(rabbitmq_node.start)
    await eventually(
        lambda: received == [before.id, during.id],
        timeout=30,
        what="the publish once the broker is back",
    )
    await eventually(lambda: _outbox_is_empty(db, "during"), what="the outbox emptied")
    assert await eventing.ready() == {"broker": True}


def _not_ready(eventing: Eventing) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return (await eventing.ready())["broker"] is False

    return check


async def test_a_failed_publish_stays_in_the_outbox_as_failed_and_is_retried(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    settings: EventingSettings,
    observe: Callable[[], Awaitable[Any]],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    eventing = await start_eventing()
    # Without its alternate exchange, an event nobody is bound to is returned
    # as unroutable, so the publish fails.
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.exchange_delete(f"{settings.exchange}.unrouted")
    event = customer_created()
    await db["customers"].insert_one(with_outbox({"_id": "c1"}, [event]))
    eventing.notify_outbox()

    async def entry_failed() -> bool:
        document = await db["customers"].find_one({"_id": "c1"})
        entries = document.get(OUTBOX_FIELD, []) if document else []
        return bool(entries) and entries[0]["state"] == "failed"

    await eventually(entry_failed, what="the entry marked failed")
    document = await db["customers"].find_one({"_id": "c1"})
    assert document is not None
    [entry] = document[OUTBOX_FIELD]
    assert entry["attempts"] >= 1
    assert "PublishError" in entry["last_error"]

    receipts = await observe()  # now the event has somewhere to go
    await eventually(lambda: receipts.ids == [event.id], what="the retried publish")
    await eventually(lambda: _outbox_is_empty(db, "c1"), what="the outbox emptied")
