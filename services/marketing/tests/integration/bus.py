"""Talking to the broker as other services do: publish their events, watch ours."""

from __future__ import annotations

import asyncio
import json
from types import TracebackType
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from crm_contracts.events.registry import EventData, to_cloud_event


class EventBusProbe:
    """Publishes events onto a test's exchange and records every marketing event on it."""

    def __init__(self, amqp_url: str, exchange: str) -> None:
        self._url = amqp_url
        self._exchange_name = exchange
        self.received: list[dict[str, Any]] = []

    async def __aenter__(self) -> EventBusProbe:
        self._connection = await aio_pika.connect_robust(self._url)
        self._channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await self._channel.get_exchange(self._exchange_name)
        self._queue = await self._channel.declare_queue(exclusive=True, auto_delete=True)
        await self._queue.bind(self._exchange, routing_key="crm.marketing.#")
        await self._queue.consume(self._record)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._connection.close()

    async def _record(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            self.received.append(json.loads(message.body))

    async def publish(self, data: EventData) -> str:
        """Publish ``data`` as its producing service would; returns the event id."""
        event = to_cloud_event(data)
        await self._exchange.publish(
            aio_pika.Message(
                event.to_json_bytes(),
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=event.id,
            ),
            routing_key=event.type,
        )
        return event.id

    async def publish_many(self, events: list[EventData], concurrency: int = 50) -> None:
        for start in range(0, len(events), concurrency):
            await asyncio.gather(*(self.publish(e) for e in events[start : start + concurrency]))

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.received if event["type"] == event_type]
