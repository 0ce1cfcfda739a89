"""Dead letters of every service through the gateway: an administrator lists what is
parked, replays one to its service's work queue and discards another for good."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import aio_pika
import httpx
import pytest
from aio_pika.abc import AbstractChannel

from crm_chassis.events.headers import ATTEMPT, DEAD_LETTERED_AT, ERROR, REASON, ROUTING_KEY
from crm_chassis.testing import SigningKeys, auth_header
from crm_contracts.access import Role
from gateway.settings import Settings

from .conftest import admin_token, running_gateway

pytestmark = pytest.mark.integration

CREATED = "crm.sales.order.placed.v1"


@pytest.fixture
def prefix() -> str:
    return f"dl{uuid.uuid4().hex[:8]}."


@pytest.fixture
async def gateway(
    gateway_settings: Callable[..., Settings], prefix: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = gateway_settings()
    events = settings.events.model_dump() | {"queue_prefix": prefix}
    async with running_gateway(gateway_settings(events=events)) as client:
        yield client


@pytest.fixture
async def channel(amqp_url: str) -> AsyncIterator[AbstractChannel]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        yield await connection.channel()


async def _park(channel: AbstractChannel, prefix: str, service: str, message_id: str) -> None:
    """What a service's consumer does with an event it gave up on."""
    for name in (f"{prefix}{service}.events", f"{prefix}{service}.events.dlq"):
        await channel.declare_queue(name, durable=True, auto_delete=False)
    await channel.default_exchange.publish(
        aio_pika.Message(
            b'{"id": "' + message_id.encode() + b'"}',
            message_id=message_id,
            type=CREATED,
            headers={
                ATTEMPT: 2,
                ROUTING_KEY: CREATED,
                REASON: "handler_failed",
                ERROR: "KeyError: 'tier'",
                DEAD_LETTERED_AT: datetime.now(UTC).isoformat(),
            },
        ),
        routing_key=f"{prefix}{service}.events.dlq",
    )


async def test_an_admin_lists_replays_and_discards_the_dead_letters_of_a_service(
    gateway: httpx.AsyncClient, channel: AbstractChannel, prefix: str
) -> None:
    admin = auth_header(await admin_token(gateway))
    await _park(channel, prefix, "customer", "event-1")
    await _park(channel, prefix, "customer", "event-2")
    await _park(channel, prefix, "sales", "event-3")

    everything = await gateway.get("/api/v1/dead-letters", headers=admin)
    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert {"customer", "sales"} <= set(body["services"])
    assert [(item["service"], item["message_id"]) for item in body["items"]] == [
        ("customer", "event-1"),
        ("customer", "event-2"),
        ("sales", "event-3"),
    ]
    first = body["items"][0]
    assert (first["type"], first["reason"], first["error"], first["attempts"]) == (
        CREATED,
        "handler_failed",
        "KeyError: 'tier'",
        2,
    )

    replayed = await gateway.post("/api/v1/dead-letters/customer/event-1/replay", headers=admin)
    assert replayed.status_code == 200, replayed.text
    assert replayed.json() == {"replayed": 1}
    work = await channel.get_queue(f"{prefix}customer.events")
    back = await work.get(no_ack=True, fail=False)
    assert back is not None
    assert back.message_id == "event-1"
    assert back.headers[ATTEMPT] == 0

    discarded = await gateway.delete("/api/v1/dead-letters/customer/event-2", headers=admin)
    assert discarded.status_code == 204
    again = await gateway.delete("/api/v1/dead-letters/customer/event-2", headers=admin)
    assert again.status_code == 404

    customer = await gateway.get(
        "/api/v1/dead-letters", params={"service": "customer"}, headers=admin
    )
    assert customer.json()["items"] == []
    sales = await gateway.get("/api/v1/dead-letters", params={"service": "sales"}, headers=admin)
    assert [item["message_id"] for item in sales.json()["items"]] == ["event-3"]


async def test_only_administrators_may_see_or_touch_dead_letters(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    manager = auth_header(signing_keys.token(Role.SALES_MANAGER, team="north"))
    admin = auth_header(signing_keys.token(Role.ADMIN))

    assert (await gateway.get("/api/v1/dead-letters", headers=manager)).status_code == 403
    replay = await gateway.post("/api/v1/dead-letters/customer/x/replay", headers=manager)
    assert replay.status_code == 403
    assert (
        await gateway.delete("/api/v1/dead-letters/customer/x", headers=manager)
    ).status_code == 403

    unknown = await gateway.get("/api/v1/dead-letters", params={"service": "nope"}, headers=admin)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "query.service"
    missing = await gateway.post("/api/v1/dead-letters/nope/x/replay", headers=admin)
    assert missing.status_code == 404
