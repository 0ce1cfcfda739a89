"""Integration fixtures: the real sales app served over HTTP on the local
MongoDB-protocol server and RabbitMQ, with its own database, exchange and service name
per test (the chassis's pytest plugin: ``service_runner``; ``eventually`` is the
plugin's too)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from crm_chassis.testing import EventProbe, RunningService, ServiceRunner, Tokens
from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.registry import EventData, to_cloud_event
from sales.app import create_app
from sales.settings import Settings


@pytest.fixture
def settings(service_runner: ServiceRunner) -> Settings:
    return service_runner.settings(
        Settings,
        "sales",
        jobs_enabled=False,
        events={"retry_delays_seconds": [0.1], "stop_timeout_seconds": 2.0},
    )


@pytest.fixture
async def sales(
    service_runner: ServiceRunner, settings: Settings
) -> AsyncIterator[RunningService[Settings]]:
    """The app served over real HTTP, its probe recording every event on the exchange."""
    async with service_runner.serve(RunningService[Settings], create_app(settings)) as running:
        yield running


@pytest.fixture
def app(sales: RunningService[Settings]) -> FastAPI:
    return sales.app


@pytest.fixture
def client(sales: RunningService[Settings]) -> httpx.AsyncClient:
    return sales.client


@pytest.fixture
def as_role(tokens: Tokens) -> Callable[..., dict[str, str]]:
    """Headers with a token for a role: ``as_role(Role.SALES_REP, subject="u1", team="north")``."""

    def headers(role: Role, subject: str = "tester", team: str | None = None) -> dict[str, str]:
        return tokens.headers_for(role, user_id=subject, team=team)

    return headers


@pytest.fixture
def admin(as_role: Callable[..., dict[str, str]]) -> dict[str, str]:
    return as_role(Role.ADMIN, subject="admin-1")


@dataclass
class EventRecorder:
    """Every event published on the test's exchange, in arrival order, parsed."""

    probe: EventProbe

    def of_type(self, event_type: str) -> list[CloudEvent]:
        return self.probe.cloud_events(event_type)


@pytest.fixture
def recorder(sales: RunningService[Settings]) -> EventRecorder:
    return EventRecorder(sales.bus)


@pytest.fixture
def publish(sales: RunningService[Settings]) -> Callable[[EventData], Any]:
    """Publish an event on the test's exchange as another service would."""

    async def send(data: EventData) -> CloudEvent:
        event = to_cloud_event(data)
        await sales.bus.publish_event(event)
        return event

    return send


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
