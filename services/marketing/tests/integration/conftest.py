"""Integration tier: the real marketing app against the real MongoDB-protocol server,
RabbitMQ and an SMTP capture server; each test has its own database, exchange and
service name."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pymongo import AsyncMongoClient

from crm_chassis.testing import EventProbe, SigningKeys, unique_name
from crm_localinfra.smtp import SmtpCapture
from marketing.app import create_app
from marketing.settings import Settings

from .harness import Service

pytestmark = pytest.mark.integration

ServiceFactory = Callable[..., AbstractAsyncContextManager[Service]]


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys.generate()


@pytest.fixture
def service_factory(
    keys: SigningKeys,
    mongo_url: str,
    amqp_url: str,
    mongo_db_name: str,
    smtp_server: SmtpCapture,
) -> ServiceFactory:
    """Starts the app with test-speed settings; keyword arguments override settings."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Service]:
        values: dict[str, Any] = {
            "service_name": unique_name("marketing"),
            "jwt_public_key": keys.public_pem,
            "mongo_url": mongo_url,
            "mongo_db": mongo_db_name,
            "amqp_url": amqp_url,
            "smtp": {"host": smtp_server.host, "port": smtp_server.port},
            "public_base_url": "http://gateway.test",
            "tracking_secret": "integration-test-tracking-secret",
            "send_poll_seconds": 0.05,
            "send_batch_size": 200,
            "smtp_connections": 8,
            "send_retry_base_seconds": 0.2,
            "send_retry_max_seconds": 1.0,
            "metrics_interval_seconds": 0.2,
            "events": {
                "exchange": unique_name("crm_test"),
                "retry_delays_seconds": [0.2],
                "relay_poll_seconds": 0.1,
            },
        }
        values.update(overrides)
        settings = Settings(**values)
        app = create_app(settings)
        raw: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
        try:
            async with (
                LifespanManager(app, startup_timeout=60, shutdown_timeout=30),
                EventProbe(amqp_url, settings.events.exchange, watch="crm.marketing.#") as bus,
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://marketing"
                ) as client,
            ):
                yield Service(app, client, settings, keys, bus, raw)
        finally:
            await raw.close()

    return start


@pytest.fixture
async def service(service_factory: ServiceFactory) -> AsyncIterator[Service]:
    async with service_factory() as running:
        yield running


@pytest.fixture
def mailbox(smtp_server: SmtpCapture) -> SmtpCapture:
    """The session's SMTP capture, emptied first: reading it parses every stored message,
    and tests run one at a time, so earlier tests' mail is only ballast."""
    smtp_server.clear()
    return smtp_server
