"""The consumer dispatches by type, skips duplicates, retries, and dead-letters."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
import httpx
import pytest
from aio_pika.message import IncomingMessage
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import Eventing, EventingSettings, idempotent, with_outbox
from crm_chassis.events.deadletters.cli import run_cli
from crm_contracts.envelope import CloudEvent

pytestmark = pytest.mark.integration

CREATED = "crm.customer.customer.created.v1"
Document = dict[str, Any]
StartEventing = Callable[..., Awaitable[Eventing]]


def _count(metric: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(metric, labels) or 0.0


async def _write(db: AsyncDatabase[Document], eventing: Eventing, *events: CloudEvent) -> None:
    for event in events:
        await db["customers"].insert_one(with_outbox({"_id": f"doc-{event.id}"}, [event]))
    eventing.notify_outbox()


async def _write_twice(db: AsyncDatabase[Document], eventing: Eventing, event: CloudEvent) -> None:
    """Two documents carrying the same event: the broker delivers it twice."""
    await db["customers"].insert_one(with_outbox({"_id": "a"}, [event]))
    await db["customers"].insert_one(with_outbox({"_id": "b"}, [event]))
    eventing.notify_outbox()


async def test_the_same_event_delivered_twice_is_handled_once(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    handled: list[str] = []

    async def on_created(event: CloudEvent) -> None:
        handled.append(event.id)

    eventing = await start_eventing({CREATED: on_created})
    event = customer_created()
    await _write_twice(db, eventing, event)

    service = names["service"]
    duplicate = {"service": service, "type": CREATED, "outcome": "duplicate"}
    await eventually(lambda: _count("crm_events_consumed_total", **duplicate) == 1)
    assert handled == [event.id]


async def test_an_idempotent_handler_gets_every_delivery_and_nothing_is_recorded(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    handled: list[str] = []

    async def on_created(event: CloudEvent) -> None:
        handled.append(event.id)

    eventing = await start_eventing({CREATED: idempotent(on_created)})
    event = customer_created()
    await _write_twice(db, eventing, event)

    await eventually(lambda: len(handled) == 2, what="both deliveries handled")
    assert handled == [event.id, event.id]
    assert await db["processed_events"].count_documents({}) == 0


async def test_a_failing_handler_is_retried_until_it_succeeds(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    attempts: list[str] = []

    async def flaky(event: CloudEvent) -> None:
        attempts.append(event.id)
        if len(attempts) < 3:
            raise ConnectionError("the CRM database blinked")

    eventing = await start_eventing({CREATED: flaky})
    event = customer_created()
    await _write(db, eventing, event)

    handled = {"service": names["service"], "type": CREATED, "outcome": "handled"}
    await eventually(lambda: _count("crm_events_consumed_total", **handled) == 1)
    assert attempts == [event.id] * 3
    retried = {"service": names["service"], "type": CREATED}
    assert _count("crm_events_retried_total", **retried) == 2


async def test_a_poison_event_is_dead_lettered_and_replayed_once_the_handler_is_fixed(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
) -> None:
    fixed = False
    attempts: list[str] = []
    handled: list[str] = []

    async def buggy(event: CloudEvent) -> None:
        attempts.append(event.id)
        if not fixed:
            raise KeyError("tier")
        handled.append(event.id)

    eventing = await start_eventing({CREATED: buggy})
    app = FastAPI()
    app.include_router(eventing.dead_letters_router)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
    poison, healthy_later = customer_created(), customer_created()
    await _write(db, eventing, poison)

    async def dead_letters() -> list[dict[str, Any]]:
        response = await http.get("/admin/dead-letters")
        assert response.status_code == 200
        letters: list[dict[str, Any]] = response.json()
        return letters

    await eventually(lambda: _has_letters(dead_letters, 1), what="the dead letter")
    [letter] = await dead_letters()
    assert letter["message_id"] == poison.id
    assert letter["type"] == CREATED
    assert letter["reason"] == "handler_failed"
    assert "KeyError" in letter["error"]
    assert letter["attempts"] == 2
    assert attempts == [poison.id] * 3, "first try plus one per retry delay"

    fixed = True
    response = await http.post("/admin/dead-letters/replay", json={"message_id": poison.id})
    assert response.json() == {"replayed": 1}
    await eventually(lambda: handled == [poison.id], what="the replayed event handled")
    assert await dead_letters() == []
    await _write(db, eventing, healthy_later)
    await eventually(lambda: handled == [poison.id, healthy_later.id])
    response = await http.post("/admin/dead-letters/replay", json={"message_id": "unknown"})
    assert response.status_code == 404
    await http.aclose()


async def _has_letters(
    dead_letters: Callable[[], Awaitable[list[dict[str, Any]]]], count: int
) -> bool:
    return len(await dead_letters()) == count


async def test_a_message_that_is_not_a_cloud_event_goes_straight_to_the_dead_letters(
    start_eventing: StartEventing,
    settings: EventingSettings,
    names: dict[str, str],
    eventually: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    called: list[CloudEvent] = []

    async def on_created(event: CloudEvent) -> None:
        called.append(event)

    await start_eventing({CREATED: on_created})
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(settings.exchange)
        await exchange.publish(
            aio_pika.Message(b"{not json", message_id="garbage-1"), routing_key=CREATED
        )
    service = names["service"]
    cli = ["--amqp-url", settings.amqp_url, "--service", service]
    malformed = {"service": service, "reason": "malformed"}
    await eventually(lambda: _count("crm_events_dead_lettered_total", **malformed) == 1)

    assert await run_cli([*cli, "list"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    letter = json.loads(line)
    assert letter["message_id"] == "garbage-1"
    assert letter["reason"] == "malformed"
    assert letter["attempts"] == 0
    assert called == []

    assert await run_cli([*cli, "replay", "--id", "garbage-1"]) == 0
    assert json.loads(capsys.readouterr().out) == {"replayed": 1}
    # Still not a CloudEvent: it comes straight back.
    await eventually(lambda: _count("crm_events_dead_lettered_total", **malformed) == 2)


async def test_a_discarded_dead_letter_is_gone_for_good_and_the_others_stay(
    start_eventing: StartEventing,
    settings: EventingSettings,
    names: dict[str, str],
    eventually: Any,
) -> None:
    async def on_created(event: CloudEvent) -> None:
        raise AssertionError("not a CloudEvent: never handled")

    eventing = await start_eventing({CREATED: on_created})
    app = FastAPI()
    app.include_router(eventing.dead_letters_router)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(settings.exchange)
        for message_id in ("junk-1", "junk-2"):
            await exchange.publish(
                aio_pika.Message(b"{not json", message_id=message_id), routing_key=CREATED
            )

    async def listed() -> list[str | None]:
        response = await http.get("/admin/dead-letters")
        assert response.status_code == 200
        return [letter["message_id"] for letter in response.json()]

    async def both_parked() -> bool:
        return sorted(await listed()) == ["junk-1", "junk-2"]

    await eventually(both_parked, what="both dead-lettered")
    response = await http.post("/admin/dead-letters/discard", json={"message_id": "junk-1"})
    assert response.status_code == 200
    assert response.json() == {"discarded": 1}
    assert await listed() == ["junk-2"]
    again = await http.post("/admin/dead-letters/discard", json={"message_id": "junk-1"})
    assert again.status_code == 404
    assert await listed() == ["junk-2"]
    await http.aclose()


async def test_events_unacked_when_a_consumer_dies_are_redelivered_but_not_reapplied(
    db: AsyncDatabase[Document],
    start_eventing: StartEventing,
    names: dict[str, str],
    customer_created: Callable[..., CloudEvent],
    eventually: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def apply(event: CloudEvent) -> None:
        # Deliberately not idempotent, to show that redelivery does not re-apply.
        await db["applied"].update_one({"_id": event.id}, {"$inc": {"times": 1}}, upsert=True)

    # The first consumer "dies" after handling each event but before its ack.
    acks_lost = True
    original_ack = IncomingMessage.ack

    async def ack(self: IncomingMessage, multiple: bool = False) -> None:
        if acks_lost:
            await asyncio.Event().wait()  # hangs until the dying consumer is cancelled
        await original_ack(self, multiple)

    monkeypatch.setattr(IncomingMessage, "ack", ack)
    dying = await start_eventing({CREATED: apply})
    events = [customer_created() for _ in range(5)]
    await _write(db, dying, *events)
    await eventually(lambda: _processed(db, 5), what="five events handled")
    await dying.stop()  # in-flight handlers never finish: cancelled after the stop timeout

    acks_lost = False
    await start_eventing({CREATED: apply})
    duplicate = {"service": names["service"], "type": CREATED, "outcome": "duplicate"}
    await eventually(lambda: _count("crm_events_consumed_total", **duplicate) == 5)
    applied = await db["applied"].find({}).to_list()
    assert sorted(doc["_id"] for doc in applied) == sorted(event.id for event in events)
    assert {doc["times"] for doc in applied} == {1}


async def _processed(db: AsyncDatabase[Document], count: int) -> bool:
    return await db["processed_events"].count_documents({}) == count
