"""Fixtures for the event machinery's integration tests: real MongoDB-protocol
server and RabbitMQ from the ``crm_localinfra`` plugin, unique names per test
(``eventually`` is the chassis plugin's)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import EventHandler, Eventing, EventingSettings
from crm_chassis.mongo import create_client, database
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.customer import CustomerCreated
from crm_contracts.events.registry import to_cloud_event

Document = dict[str, Any]


@pytest.fixture
async def db(mongo_url: str, mongo_db_name: str) -> AsyncIterator[AsyncDatabase[Document]]:
    client = create_client(mongo_url)
    yield database(client, mongo_db_name)
    await client.close()


@pytest.fixture
def names() -> dict[str, str]:
    """An exchange and a service name of this test's own, so tests never share queues."""
    suffix = uuid.uuid4().hex[:8]
    return {"exchange": f"test.{suffix}.events", "service": f"svc{suffix}"}


@pytest.fixture
def settings(amqp_url: str, names: dict[str, str]) -> EventingSettings:
    return EventingSettings(
        amqp_url=amqp_url,
        exchange=names["exchange"],
        retry_delays_seconds=[0.1, 0.2],
        relay_poll_seconds=0.1,
        publish_timeout_seconds=2.0,
        reconnect_interval_seconds=0.5,
        stop_timeout_seconds=2.0,
    )


@pytest.fixture
async def start_eventing(
    db: AsyncDatabase[Document], names: dict[str, str], settings: EventingSettings
) -> AsyncIterator[Callable[..., Awaitable[Eventing]]]:
    """Start an :class:`Eventing` (stopped and its broker objects deleted afterwards)."""
    started: list[Eventing] = []

    async def start(
        handlers: Mapping[str, EventHandler] | None = None,
        *,
        outbox: Sequence[str] = ("customers",),
        service: str | None = None,
        bindings: Sequence[str] | None = None,
        settings_override: EventingSettings | None = None,
    ) -> Eventing:
        eventing = Eventing(
            settings_override or settings,
            db,
            service=service or names["service"],
            outbox_collections=outbox,
            handlers=handlers or {},
            bindings=bindings,
        )
        await eventing.start()
        started.append(eventing)
        return eventing

    yield start
    for eventing in started:
        await eventing.stop()
    await _delete_broker_objects(settings, names)


async def _delete_broker_objects(settings: EventingSettings, names: dict[str, str]) -> None:
    try:
        connection = await aio_pika.connect(settings.amqp_url, timeout=5)
    except Exception:  # the outage test's node may be gone; its data is its own
        return
    async with connection:
        channel = await connection.channel()
        work = f"{names['service']}.events"
        queues = [work, f"{work}.dlq", f"{settings.exchange}.unrouted"]
        queues += [f"{work}.retry.{round(d * 1000)}" for d in settings.retry_delays_seconds]
        for queue in queues:
            await channel.queue_delete(queue, if_unused=False, if_empty=False)
        for exchange in (settings.exchange, f"{settings.exchange}.unrouted"):
            await channel.exchange_delete(exchange)


@dataclass
class Receipts:
    """Every message that reaches the exchange, seen by a queue bound to ``#``."""

    ids: list[str] = field(default_factory=list)
    messages: list[AbstractIncomingMessage] = field(default_factory=list)

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        self.ids.append(message.message_id or "")
        self.messages.append(message)
        await message.ack()


@pytest.fixture
async def observe(
    settings: EventingSettings,
) -> AsyncIterator[Callable[[], Awaitable[Receipts]]]:
    """Start observing the test's exchange (call it after an Eventing declared it)."""
    connections: list[AbstractRobustConnection] = []

    async def start() -> Receipts:
        connection = await aio_pika.connect_robust(settings.amqp_url)
        connections.append(connection)
        channel = await connection.channel()
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(settings.exchange, routing_key="#")
        receipts = Receipts()
        await queue.consume(receipts.on_message)
        return receipts

    yield start
    for connection in connections:
        await connection.close()


@pytest.fixture
def customer_created() -> Callable[..., CloudEvent]:
    """Factory of ``crm.customer.customer.created.v1`` events."""

    def make(name: str = "Ada Lovelace", **fields: Any) -> CloudEvent:
        customer_id = fields.pop("customer_id", uuid.uuid4().hex)
        data = CustomerCreated(
            customer_id=customer_id,
            member_id="m-1",
            name=name,
            created_at=fields.pop("created_at", "2026-01-01T00:00:00Z"),
            **fields,
        )
        return to_cloud_event(data, subject=customer_id)

    return make
