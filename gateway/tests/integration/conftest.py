"""Integration fixtures: real MongoDB-protocol server, RabbitMQ and Redis; fake
upstream services served over real HTTP; the gateway app in process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pymongo import AsyncMongoClient

from crm_chassis.settings import ServiceSettings
from crm_chassis.testing import SigningKeys, serve_app, unique_name
from gateway.app import create_app
from gateway.settings import Settings

from .upstream import (
    EventStreams,
    customer_router,
    fake_service,
    notifications_router,
    sales_router,
)

ADMIN_EMAIL = "admin@crm.local"
ADMIN_PASSWORD = "integration-admin-pw"


@pytest.fixture(scope="session")
async def upstream_urls(
    signing_keys: SigningKeys, mongo_url: str, amqp_url: str
) -> AsyncIterator[dict[str, str]]:
    """The fake customer and sales services, once per session (they keep no state)."""
    urls: dict[str, str] = {}
    databases = []
    apps: list[FastAPI] = []
    for name, router in (("customer", customer_router()), ("sales", sales_router())):
        settings = ServiceSettings(
            service_name=unique_name(f"fake_{name}"),
            mongo_url=mongo_url,
            amqp_url=amqp_url,
            jwt_public_key=signing_keys.public_pem,
            events={"exchange": unique_name("fake")},
        )
        databases.append(settings.mongo_db)
        apps.append(fake_service(name, router, settings))
    async with (
        LifespanManager(apps[0]),
        LifespanManager(apps[1]),
        serve_app(apps[0]) as customer,
        serve_app(apps[1]) as sales,
    ):
        urls["customer"] = customer
        urls["sales"] = sales
        yield urls
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    for name in databases:
        await client.drop_database(name)
    await client.close()


@pytest.fixture(scope="module")
async def notifications(
    signing_keys: SigningKeys, mongo_url: str, amqp_url: str
) -> AsyncIterator[Any]:
    """A fake notifications service for the module: its URL and its steerable streams."""
    streams = EventStreams()
    settings = ServiceSettings(
        service_name=unique_name("fake_notifications"),
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        jwt_public_key=signing_keys.public_pem,
        events={"exchange": unique_name("fake")},
    )
    app = fake_service("notifications", notifications_router(streams), settings)
    async with LifespanManager(app), serve_app(app) as url:
        yield url, streams
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    await client.drop_database(settings.mongo_db)
    await client.close()


@pytest.fixture
def streams(notifications: tuple[str, EventStreams]) -> EventStreams:
    notifications[1].reset()
    return notifications[1]


@pytest.fixture
def gateway_settings(
    signing_keys: SigningKeys,
    mongo_url: str,
    mongo_db_name: str,
    amqp_url: str,
    redis_url: str,
    upstream_urls: dict[str, str],
) -> Callable[..., Settings]:
    """Settings of a gateway of this test (own database, exchange, Redis namespace)."""
    exchange = unique_name("gw_events")
    service = unique_name("gateway")

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "profile": "development",  # the local administrator's e-mail is refused elsewhere
            "service_name": service,
            "mongo_url": mongo_url,
            "mongo_db": mongo_db_name,
            "amqp_url": amqp_url,
            "redis_url": redis_url,
            "jwt_private_key": signing_keys.private_pem,
            "admin_email": ADMIN_EMAIL,
            "admin_password": ADMIN_PASSWORD,
            "events": {
                "exchange": exchange,
                "retry_delays_seconds": [0.2],
                "stop_timeout_seconds": 3,
            },
            # Cheap hashing: the tests are about behaviour, not brute-force cost.
            "password_hash": {"time_cost": 1, "memory_kib": 1024, "parallelism": 1},
            "service_urls": {
                "customer": upstream_urls["customer"],
                "sales": upstream_urls["sales"],
                "marketing": "",
                "support": "",
                "analytics": "",
                "notifications": "",
            },
            "rate_limits": {"enabled": False},
        }
        values.update(overrides)
        return Settings(**values)

    return make


@asynccontextmanager
async def running_gateway(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway app with its lifespan, and a client talking to it in process."""
    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=30, shutdown_timeout=30),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway") as client,
    ):
        client.app = app  # type: ignore[attr-defined]
        yield client


@pytest.fixture
async def gateway(gateway_settings: Callable[..., Settings]) -> AsyncIterator[httpx.AsyncClient]:
    async with running_gateway(gateway_settings()) as client:
        yield client


async def admin_token(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
