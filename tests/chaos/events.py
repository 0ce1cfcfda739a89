"""Publishing events as another service would, and reading the broker's queues."""

from __future__ import annotations

from datetime import UTC, datetime

import aio_pika
import httpx

from crm_contracts.events import to_cloud_event
from crm_contracts.events.customer import CustomerCreated


def customer_created(number: int, run: str) -> aio_pika.Message:
    event = to_cloud_event(
        CustomerCreated(
            customer_id=f"{run}-{number}",
            member_id=f"VIP{number:08d}",
            name=f"Chaos customer {number}",
            created_at=datetime.now(UTC),
        ),
        subject=f"{run}-{number}",
    )
    return aio_pika.Message(
        event.to_json_bytes(),
        content_type="application/cloudevents+json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=event.id,
    )


async def publish(amqp_url: str, exchange_name: str, messages: list[aio_pika.Message]) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            exchange_name, aio_pika.ExchangeType.TOPIC, durable=True, passive=True
        )
        for message in messages:
            await exchange.publish(message, routing_key="crm.customer.customer.created.v1")


async def queue_depth(amqp_url: str, queue_name: str) -> int:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        depth: int = queue.declaration_result.message_count or 0
        return depth


async def customer_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/v1/reports/customer-count")
    response.raise_for_status()
    total: int = response.json()["total"]
    return total
