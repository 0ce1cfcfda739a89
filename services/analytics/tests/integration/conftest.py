"""Integration tier: the real analytics app against the real MongoDB-protocol server,
RabbitMQ and SMTP capture, each test with its own database, exchange and queue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aio_pika
import httpx
import pytest
from asgi_lifespan import LifespanManager

from analytics.app import create_app
from analytics.settings import Settings
from crm_chassis.testing import SigningKeys, unique_name
from crm_localinfra.smtp import SmtpCapture

from .harness import Broker, Service

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys.generate()


def service_settings(
    keys: SigningKeys, mongo_url: str, amqp_url: str, db: str, smtp: SmtpCapture
) -> Settings:
    return Settings(
        service_name=unique_name("analytics"),
        jwt_public_key=keys.public_pem,
        mongo_url=mongo_url,
        mongo_db=db,
        amqp_url=amqp_url,
        rollup_refresh_seconds=0.05,
        schedule_poll_seconds=0.2,
        smtp={"host": smtp.host, "port": smtp.port},
        events={
            "exchange": unique_name("crm_test"),
            "retry_delays_seconds": [0.2],
            "relay_poll_seconds": 0.1,
            "prefetch_count": 64,
        },
    )


@asynccontextmanager
async def running(settings: Settings, keys: SigningKeys, amqp_url: str) -> AsyncIterator[Service]:
    """The app started with its lifespan, a client, and a connection to its exchange."""
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        connection = await aio_pika.connect_robust(amqp_url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange(settings.events.exchange)
            broker = Broker(exchange)
            watcher = await channel.declare_queue(exclusive=True, auto_delete=True)
            await watcher.bind(exchange, routing_key="crm.analytics.#")
            await watcher.consume(broker.record)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://analytics"
            ) as client:
                yield Service(app, client, settings, keys, broker)


@pytest.fixture
async def service(
    keys: SigningKeys, mongo_url: str, amqp_url: str, mongo_db_name: str, smtp_server: SmtpCapture
) -> AsyncIterator[Service]:
    settings = service_settings(keys, mongo_url, amqp_url, mongo_db_name, smtp_server)
    async with running(settings, keys, amqp_url) as service:
        yield service
