"""A test can stop and restart its broker, and clients reconnect to the same node."""

from __future__ import annotations

import aio_pika
import pytest

from crm_localinfra.pytest_plugin import RestartableBroker

pytestmark = pytest.mark.integration


async def test_durable_queue_survives_a_broker_restart(rabbitmq_node: RestartableBroker) -> None:
    connection = await aio_pika.connect(rabbitmq_node.url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue("crm.test.outage", durable=True)
        await channel.default_exchange.publish(
            aio_pika.Message(b"kept", delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=queue.name,
        )

    rabbitmq_node.stop()
    assert not rabbitmq_node.is_running()
    with pytest.raises(aio_pika.exceptions.AMQPConnectionError):
        await aio_pika.connect(rabbitmq_node.url)
    rabbitmq_node.start()

    connection = await aio_pika.connect(rabbitmq_node.url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue("crm.test.outage", durable=True)
        message = await queue.get(timeout=5)
        await message.ack()
        assert message.body == b"kept"
