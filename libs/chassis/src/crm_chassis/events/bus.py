"""The broker connection, the exchange, and confirmed publishing.

aio-pika defaults fixed here (DESIGN.md, Events): a robust connection; channels with
publisher confirms and ``on_return_raises``; persistent, mandatory publishes, each
bounded by a timeout (a publish on a dropped robust connection can hang); and
strong references to the declared exchanges and queues, because the robust
channel restores them after a reconnect but tracks them only weakly.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractExchange,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)

from crm_chassis.events.settings import EventingSettings
from crm_chassis.events.topology import unrouted_name, unrouted_queue_arguments
from crm_chassis.events.tracing import publish_span
from crm_contracts.envelope import CloudEvent

log = logging.getLogger(__name__)

CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json"


class Bus:
    """One robust connection per process, with a confirmed channel for the relay."""

    def __init__(self, settings: EventingSettings, *, service: str, owner: str) -> None:
        self._settings = settings
        self._service = service
        self._owner = owner
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractExchange | None = None
        # Strong references: the robust channel re-declares these after a reconnect.
        self._unrouted_exchange: AbstractExchange | None = None
        self._unrouted_queue: AbstractQueue | None = None

    @property
    def connection(self) -> AbstractRobustConnection | None:
        return self._connection

    async def connect(self) -> None:
        """Connect (failing fast if the broker is unreachable) and declare the exchange."""
        self._connection = await aio_pika.connect_robust(
            self._settings.amqp_url,
            reconnect_interval=self._settings.reconnect_interval_seconds,
            client_properties={"connection_name": self._owner},
        )
        self._channel = await self.open_channel()
        exchange = self._settings.exchange
        self._unrouted_exchange = await self._channel.declare_exchange(
            unrouted_name(exchange), aio_pika.ExchangeType.FANOUT, durable=True
        )
        self._unrouted_queue = await self._channel.declare_queue(
            unrouted_name(exchange), durable=True, arguments=unrouted_queue_arguments()
        )
        await self._unrouted_queue.bind(self._unrouted_exchange)
        self._exchange = await self._channel.declare_exchange(
            exchange,
            aio_pika.ExchangeType.TOPIC,
            durable=True,
            arguments={"alternate-exchange": unrouted_name(exchange)},
        )

    async def open_channel(self) -> AbstractRobustChannel:
        """A new channel with publisher confirms, raising on returned messages."""
        if self._connection is None:
            raise RuntimeError("the bus is not connected")
        channel = self._connection.channel(publisher_confirms=True, on_return_raises=True)
        await channel
        return channel

    def is_ready(self) -> bool:
        connection = self._connection
        return (
            connection is not None
            and not connection.is_closed
            and connection.connected.is_set()
            and self._channel is not None
            and not self._channel.is_closed
        )

    async def publish(self, event: CloudEvent) -> None:
        """Publish one event and wait for the broker's confirm (bounded by the timeout).

        Raises on a timeout, a nack, a return (unroutable even via the alternate
        exchange) or a closed channel; the caller keeps the event pending then.
        """
        if self._exchange is None:
            raise RuntimeError("the bus is not connected")
        headers: dict[str, Any] = {}
        with publish_span(event, self._exchange.name, headers):
            message = aio_pika.Message(
                event.to_json_bytes(),
                content_type=CLOUDEVENTS_CONTENT_TYPE,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=event.id,
                type=event.type,
                timestamp=event.time,
                app_id=self._service,
                headers=headers,
            )
            await asyncio.wait_for(
                self._exchange.publish(message, routing_key=event.type, mandatory=True),
                timeout=self._settings.publish_timeout_seconds,
            )

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
