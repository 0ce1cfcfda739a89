"""Integration fixtures: the real sales app on the local MongoDB-protocol server and
RabbitMQ, with its own database, exchange and service name per test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aio_pika
import httpx
import pytest
from aio_pika.abc import AbstractIncomingMessage
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from crm_chassis.events import EventingSettings
from crm_chassis.testing import SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.registry import EventData, to_cloud_event
from sales.app import create_app
from sales.settings import Settings


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys.generate()


@pytest.fixture
def settings(mongo_url: str, amqp_url: str, mongo_db_name: str, keys: SigningKeys) -> Settings:
    return Settings(
        service_name=unique_name("sales"),
        mongo_url=mongo_url,
        mongo_db=mongo_db_name,
        amqp_url=amqp_url,
        jwt_public_key=keys.public_pem,
        jobs_enabled=False,
        events=EventingSettings(
            exchange=unique_name("test.sales"),
            relay_poll_seconds=0.1,
            retry_delays_seconds=[0.1],
            stop_timeout_seconds=2.0,
        ),
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=30, shutdown_timeout=30):
        yield application


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sales")


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as http:
        yield http


@pytest.fixture
def as_role(keys: SigningKeys) -> Callable[..., dict[str, str]]:
    """Headers with a token for a role: ``as_role(Role.SALES_REP, subject="u1", team="north")``."""

    def headers(role: Role, subject: str = "tester", team: str | None = None) -> dict[str, str]:
        return auth_header(keys.token(role, subject=subject, team=team))

    return headers


@pytest.fixture
def admin(as_role: Callable[..., dict[str, str]]) -> dict[str, str]:
    return as_role(Role.ADMIN, subject="admin-1")


class EventRecorder:
    """Every event published on the test's exchange, in arrival order."""

    def __init__(self) -> None:
        self.events: list[CloudEvent] = []

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            self.events.append(CloudEvent.model_validate(json.loads(message.body)))

    def of_type(self, event_type: str) -> list[CloudEvent]:
        return [event for event in self.events if event.type == event_type]


@pytest.fixture
async def recorder(app: FastAPI, settings: Settings, amqp_url: str) -> AsyncIterator[EventRecorder]:
    recorded = EventRecorder()
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel()
    exchange = await channel.get_exchange(settings.events.exchange)
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key="#")
    await queue.consume(recorded.on_message)
    yield recorded
    await connection.close()


@pytest.fixture
def publish(app: FastAPI, settings: Settings, amqp_url: str) -> Callable[[EventData], Any]:
    """Publish an event on the test's exchange as another service would."""

    async def send(data: EventData) -> CloudEvent:
        event = to_cloud_event(data)
        connection = await aio_pika.connect_robust(amqp_url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange(settings.events.exchange)
            await exchange.publish(
                aio_pika.Message(
                    event.to_json_bytes(), content_type="application/cloudevents+json"
                ),
                routing_key=event.type,
            )
        return event

    return send


@pytest.fixture
def eventually() -> Callable[..., Any]:
    """Poll a sync or async condition until true (no bare sleeps in tests)."""

    async def poll(condition: Callable[[], Any], timeout: float = 10.0) -> None:
        async def check() -> bool:
            result = condition()
            if asyncio.iscoroutine(result):
                result = await result
            return bool(result)

        await wait_until(check, timeout=timeout)

    return poll


@pytest.fixture
async def north_china(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, Any]:
    """Two North China reps and a territory rule sending Beijing leads to their team."""
    for rep_id in ("rep-bj-1", "rep-bj-2"):
        response = await client.put(
            f"/api/v1/lead-routing-reps/{rep_id}",
            json={"name": rep_id, "team": "north-china", "manager_id": "mgr-north"},
            headers=admin,
        )
        assert response.status_code == 200, response.text
    await client.put(
        "/api/v1/lead-routing-reps/rep-sh-1",
        json={"name": "rep-sh-1", "team": "east-china", "manager_id": "mgr-east"},
        headers=admin,
    )
    response = await client.post(
        "/api/v1/lead-routing-rules",
        json={
            "name": "Beijing to North China",
            "position": 10,
            "conditions": {"regions": ["Beijing", "Tianjin", "Hebei"]},
            "target": {"team": "north-china"},
            "strategy": "least_loaded",
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
