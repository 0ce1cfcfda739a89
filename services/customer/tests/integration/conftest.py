"""Integration tier: the real customer app against the real MongoDB-protocol server and
RabbitMQ, each test with its own database, exchange and service name."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient

from crm_chassis.testing import EventProbe, SigningKeys, unique_name
from customer.app import create_app
from customer.settings import Settings

from .harness import Service

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys.generate()


@pytest.fixture
async def service(
    keys: SigningKeys, mongo_url: str, amqp_url: str, mongo_db_name: str
) -> AsyncIterator[Service]:
    settings = Settings(
        profile="development",  # its fixed development PII keys
        service_name=unique_name("customer"),
        jwt_public_key=keys.public_pem,
        mongo_url=mongo_url,
        mongo_db=mongo_db_name,
        amqp_url=amqp_url,
        events={
            "exchange": unique_name("crm_test"),
            "retry_delays_seconds": [0.2],
            "relay_poll_seconds": 0.1,
            "stop_timeout_seconds": 1.0,
        },
    )
    app = create_app(settings)
    raw: AsyncMongoClient = AsyncMongoClient(mongo_url)  # type: ignore[type-arg]
    transport = httpx.ASGITransport(app=app)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=30),
        EventProbe(amqp_url, settings.events.exchange, watch="crm.customer.#") as bus,
        httpx.AsyncClient(transport=transport, base_url="http://customer") as client,
    ):
        yield Service(app, client, settings, keys, bus, raw)
    await raw.close()
