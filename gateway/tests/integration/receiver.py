"""A local webhook receiver that can be taken down and brought back on one port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aio_pika
from fastapi import FastAPI, Request, Response

from crm_chassis.testing import serve_app
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import to_cloud_event
from crm_contracts.events.customer import CustomerCreated


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    status: int = 204
    received: list[Received] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hooks")
        async def hook(request: Request) -> Response:
            self.received.append(Received(dict(request.headers), await request.body()))
            return Response(status_code=self.status)

        return app

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    @asynccontextmanager
    async def up(self) -> AsyncIterator[None]:
        async with serve_app(self.app(), port=self.port):
            yield


def customer_created(name: str = "Ann") -> CloudEvent:
    from datetime import UTC, datetime

    return to_cloud_event(
        CustomerCreated(
            customer_id="cus_1", member_id="VIP000001", name=name, created_at=datetime.now(UTC)
        ),
        subject="cus_1",
    )


async def publish(amqp_url: str, exchange: str, event: CloudEvent) -> None:
    """Publish as the owning service's relay would: persistent, routing key = type."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        target = await channel.get_exchange(exchange)
        await target.publish(
            aio_pika.Message(
                event.to_json_bytes(),
                content_type="application/cloudevents+json",
                message_id=event.id,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=event.type,
        )
