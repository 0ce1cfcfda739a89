"""No event is lost or doubled when the broker goes away or a consumer is killed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import httpx
import pytest

from crm_chassis.testing import SigningKeys, free_port, wait_until
from crm_contracts.access import Role
from crm_contracts.events import to_cloud_event
from crm_contracts.events.customer import CustomerCreated
from crm_e2e.harness import event_settings, process_environment, running_platform, service_process

pytestmark = pytest.mark.e2e


async def count_at(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/v1/reports/customer-count")
    response.raise_for_status()
    total: int = response.json()["total"]
    return total


@pytest.mark.timeout(300)
async def test_customers_written_while_the_broker_is_down_all_reach_analytics_once(
    rabbitmq_node: object, mongo_url: str, redis_url: str, smtp_server: object
) -> None:
    node = rabbitmq_node
    async with (
        running_platform(
            mongo_url=mongo_url,
            amqp_url=node.url,  # type: ignore[attr-defined]
            redis_url=redis_url,
            smtp_host=smtp_server.host,  # type: ignore[attr-defined]
            smtp_port=smtp_server.port,  # type: ignore[attr-defined]
            services=("customer", "analytics"),
        ) as platform,
        platform.admin() as client,
    ):
        before = await count_at(client)

        node.stop()  # type: ignore[attr-defined]
        statuses = []
        for number in range(200):
            response = await client.post(
                "/api/v1/customers", json={"name": f"Outage customer {number}"}
            )
            statuses.append(response.status_code)
        assert statuses == [201] * 200
        node.start()  # type: ignore[attr-defined]

        async def all_counted() -> bool:
            return await count_at(client) >= before + 200

        await wait_until(all_counted, timeout=90, interval=0.25, what="200 events after outage")
        assert await count_at(client) == before + 200


@pytest.mark.timeout(300)
async def test_a_consumer_killed_mid_batch_does_not_double_count(
    amqp_url: str, mongo_url: str, tmp_path: Path
) -> None:
    """Events are published straight to the exchange (as the customer service would) so
    that the batch is large enough to kill analytics while it is consuming."""
    run_id = f"kill{free_port()}"
    keys = SigningKeys.generate()
    env = process_environment(
        "analytics", run_id=run_id, keys=keys, mongo_url=mongo_url, amqp_url=amqp_url
    )
    token = keys.token(Role.ANALYST)
    port = free_port()
    batch = 1000
    log = tmp_path / "analytics.log"

    async with service_process("analytics", port=port, env=env, log_path=log) as first:
        await publish_customer_created(amqp_url, event_settings(run_id)["exchange"], batch)
        async with httpx.AsyncClient(
            base_url=first.url, headers={"Authorization": f"Bearer {token}"}
        ) as client:

            async def partly_consumed() -> bool:
                return (await count_at(client)) > 0

            await wait_until(partly_consumed, timeout=30, what="first events consumed")
            first.kill()
        queue = f"{event_settings(run_id)['queue_prefix']}analytics.events"
        assert await queue_depth(amqp_url, queue) > 0, "killed too late: nothing left to redeliver"

    async with (
        service_process("analytics", port=port, env=env, log_path=log) as second,
        httpx.AsyncClient(
            base_url=second.url, headers={"Authorization": f"Bearer {token}"}
        ) as client,
    ):

        async def all_consumed() -> bool:
            return await count_at(client) >= batch

        await wait_until(all_consumed, timeout=240, interval=0.2, what="whole batch")
        assert await count_at(client) == batch


async def queue_depth(amqp_url: str, queue_name: str) -> int:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        depth: int = queue.declaration_result.message_count or 0
        return depth


async def publish_customer_created(amqp_url: str, exchange_name: str, count: int) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            exchange_name, aio_pika.ExchangeType.TOPIC, durable=True, passive=True
        )
        now = datetime.now(UTC)
        publishes = []
        for number in range(count):
            event = to_cloud_event(
                CustomerCreated(
                    customer_id=f"cust-{number}",
                    member_id=f"VIP{number:08d}",
                    name=f"Customer {number}",
                    created_at=now,
                ),
                subject=f"cust-{number}",
            )
            message = aio_pika.Message(
                event.to_json_bytes(),
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=event.id,
            )
            publishes.append(exchange.publish(message, routing_key=event.type))
        await asyncio.gather(*publishes)
