"""A message parked in a dead-letter queue is announced on the exchange
(``crm.platform.dead_letter.parked.v1``, issue #17), so administrators hear of it; the
notice never costs or doubles the parked message."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aio_pika
import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import Eventing, EventingSettings, with_outbox
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.platform import DeadLetterParked
from crm_contracts.events.registry import to_cloud_event

from .conftest import Receipts

pytestmark = pytest.mark.integration

CREATED = "crm.customer.customer.created.v1"
PARKED = DeadLetterParked.TYPE
Document = dict[str, Any]
StartEventing = Callable[..., Awaitable[Eventing]]


def _count(metric: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(metric, labels) or 0.0


def _notices(receipts: Receipts) -> list[dict[str, Any]]:
    """The parked notices seen on the exchange, as CloudEvent JSON."""
    return [
        json.loads(message.body) for message in receipts.messages if message.routing_key == PARKED
    ]


async def _write(db: AsyncDatabase[Document], eventing: Eventing, *events: CloudEvent) -> None:
    for event in events:
        await db["customers"].insert_one(with_outbox({"_id": f"doc-{event.id}"}, [event]))
    eventing.notify_outbox()


async def _dead_letters(eventing: Eventing) -> list[dict[str, Any]]:
    app = FastAPI()
    app.include_router(eventing.dead_letters_router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as http:
        response = await http.get("/admin/dead-letters")
    assert response.status_code == 200
    letters: list[dict[str, Any]] = response.json()
    return letters


async def _publish_raw(settings: EventingSettings, body: bytes, message_id: str) -> None:
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(settings.exchange)
        await exchange.publish(
            aio_pika.Message(body, message_id=message_id), routing_key="test.sentinel"
        )


async def test_a_parked_event_is_announced_with_what_an_administrator_needs(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    observe: Callable[[], Awaitable[Receipts]],
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    async def broken(event: CloudEvent) -> None:
        raise KeyError("tier")

    eventing = await start_eventing({CREATED: broken})
    receipts = await observe()
    poison = customer_created()
    await _write(db, eventing, poison)

    await eventually(lambda: _notices(receipts), what="the parked notice")
    [notice] = _notices(receipts)
    assert notice["source"] == "crm/platform"
    assert notice["subject"] == names["service"]
    data = notice["data"]
    assert data == {
        "service": names["service"],
        "queue": f"{names['service']}.events.dlq",
        "event_id": poison.id,
        "event_type": CREATED,
        "reason": "handler_failed",
        "error": "KeyError: 'tier'",
        "attempts": 3,  # the first try and one per retry delay
        "parked_at": data["parked_at"],
    }
    [letter] = await _dead_letters(eventing)
    assert letter["message_id"] == poison.id
    assert datetime.fromisoformat(data["parked_at"]) == datetime.fromisoformat(
        letter["dead_lettered_at"]
    )
    published = {"service": names["service"], "type": PARKED}
    await eventually(lambda: _count("crm_events_published_total", **published) == 1)


async def test_a_message_that_is_no_cloud_event_is_announced_without_an_event_id(
    start_eventing: StartEventing,
    observe: Callable[[], Awaitable[Receipts]],
    settings: EventingSettings,
    names: dict[str, str],
    eventually: Any,
) -> None:
    async def on_created(event: CloudEvent) -> None:
        raise AssertionError("not a CloudEvent: never handled")

    await start_eventing({CREATED: on_created})
    receipts = await observe()
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(settings.exchange)
        await exchange.publish(
            aio_pika.Message(b"{not json", message_id="garbage-1"), routing_key=CREATED
        )

    await eventually(lambda: _notices(receipts), what="the parked notice")
    [notice] = _notices(receipts)
    data = notice["data"]
    assert (data["service"], data["reason"], data["attempts"]) == (
        names["service"],
        "malformed",
        1,
    )
    assert data["event_id"] is None
    assert data["event_type"] is None
    assert data["error"].startswith("ValidationError")


async def test_a_notice_that_cannot_be_published_leaves_the_message_parked_once(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    observe: Callable[[], Awaitable[Receipts]],
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poison, healthy = customer_created(), customer_created()
    tries: list[str] = []
    handled: list[str] = []

    async def picky(event: CloudEvent) -> None:
        tries.append(event.id)
        if event.id == poison.id:
            raise KeyError("tier")
        handled.append(event.id)

    eventing = await start_eventing({CREATED: picky})
    receipts = await observe()
    bus = eventing._bus
    publish = bus.publish

    async def broker_refuses_notices(event: CloudEvent) -> None:
        if event.type == PARKED:
            raise TimeoutError("the broker did not confirm in time")
        await publish(event)

    monkeypatch.setattr(bus, "publish", broker_refuses_notices)
    service = names["service"]
    await _write(db, eventing, poison)
    failed = {"service": service}
    await eventually(
        lambda: _count("crm_dead_letter_notices_failed_total", **failed) == 1,
        what="the failed notice counted",
    )

    assert [letter["message_id"] for letter in await _dead_letters(eventing)] == [poison.id]
    assert _count("crm_events_dead_lettered_total", service=service, reason="handler_failed") == 1
    # The consumer goes on, and the parked message is not handled again.
    await _write(db, eventing, healthy)
    await eventually(lambda: handled == [healthy.id], what="the next event handled")
    assert tries.count(poison.id) == 3
    assert [letter["message_id"] for letter in await _dead_letters(eventing)] == [poison.id]
    assert _notices(receipts) == []


async def test_a_parked_notice_that_is_itself_parked_is_not_announced_again(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    observe: Callable[[], Awaitable[Receipts]],
    settings: EventingSettings,
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    """A consumer of notices whose handler keeps failing must not feed itself; other
    events it parks are still announced."""

    async def store_is_down(event: CloudEvent) -> None:
        raise ConnectionError("the inbox database is away")

    eventing = await start_eventing({PARKED: store_is_down, CREATED: store_is_down})
    receipts = await observe()
    original = to_cloud_event(
        DeadLetterParked(
            service="sales",
            queue="sales.events.dlq",
            event_id="e-1",
            event_type=CREATED,
            reason="handler_failed",
            error="KeyError: 'tier'",
            attempts=3,
            parked_at=datetime.fromisoformat("2026-12-01T08:00:00+00:00"),
        ),
        subject="sales",
    )
    poison = customer_created()
    await _write(db, eventing, original, poison)
    parked = {"service": names["service"], "reason": "handler_failed"}
    await eventually(
        lambda: _count("crm_events_dead_lettered_total", **parked) == 2, what="both parked"
    )
    # A notice is confirmed before its parking is counted, so it is queued to the
    # observer before this sentinel.
    await _publish_raw(settings, b"sentinel", "sentinel-1")
    await eventually(lambda: "sentinel-1" in receipts.ids, what="the sentinel")

    notices = _notices(receipts)
    assert [notice["id"] for notice in notices if notice["id"] == original.id] == [original.id]
    announced = [notice["data"]["event_id"] for notice in notices if notice["id"] != original.id]
    assert announced == [poison.id]
    letters = await _dead_letters(eventing)
    assert sorted(letter["message_id"] for letter in letters) == sorted([original.id, poison.id])
