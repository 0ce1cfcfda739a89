"""Integration tier: the real support app served over HTTP against the real
MongoDB-protocol server, RabbitMQ and SMTP capture, each test with its own database,
exchange and service name (the chassis's pytest plugin: ``service_runner``).

Everything tests need comes from fixtures (no imports between test files, so the
tiers of every service can be collected in one run): ``support`` (a running app with
an HTTP client), ``events`` (a probe on the test's exchange), ``make_settings``,
``start_app`` and ``open_probe`` for tests running several replicas, ``add_customers``
(customers known through events) and ``bodies`` (test data).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from types import SimpleNamespace
from typing import Any

import pytest

from crm_chassis.testing import (
    EventProbe,
    RunningService,
    ServiceRunner,
    unique_name,
    wait_until,
)
from crm_contracts.access import Role
from crm_contracts.events.customer import CustomerCreated
from support.app import create_app
from support.settings import Settings

pytestmark = pytest.mark.integration


class SupportApp(RunningService[Settings]):
    """The support app as a test holds it; ``auth()`` is support agent agent-1."""

    caller_role = Role.SUPPORT_AGENT
    caller_id = "agent-1"
    admin_id = "admin-1"
    watch = "crm.support.#"


def ticket_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": "Cannot log in to the portal",
        "description": "Since this morning the login page says my password is wrong.",
        "priority": "normal",
        "channel": "api",
        "requester_name": "Li Wei",
        "requester_email": "li.wei@example.com",
    }
    return {**body, **overrides}


def policy_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Normal tickets",
        "priority": "normal",
        "first_response_seconds": 24 * 3600,
        "resolution_seconds": 72 * 3600,
    }
    return {**body, **overrides}


@pytest.fixture
def bodies() -> SimpleNamespace:
    """Test data: ``ticket(**overrides)`` and ``policy(**overrides)`` request bodies."""
    return SimpleNamespace(ticket=ticket_body, policy=policy_body)


@pytest.fixture
def make_settings(service_runner: ServiceRunner) -> Callable[..., Settings]:
    """Settings of this test's own database, exchange and service name (shared by the
    replicas a test starts); keyword arguments override fields."""
    service_name = unique_name("support")
    exchange = unique_name("crm_test")
    # One pair for every replica of the test, so each checks what another signed.
    link_secrets = {
        "inbound_email_secret": secrets.token_urlsafe(24),
        "survey_link_secret": secrets.token_urlsafe(24),
    }

    def build(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "profile": "development",
            **link_secrets,
            "service_name": service_name,
            "smtp": service_runner.smtp(),
            "sla_scan_interval_seconds": 0.2,
            **overrides,
        }
        return service_runner.settings(Settings, "support", events={"exchange": exchange}, **values)

    return build


@pytest.fixture
def start_app(
    service_runner: ServiceRunner,
) -> Callable[[Settings], AbstractAsyncContextManager[SupportApp]]:
    """Run a (further) replica: ``async with start_app(settings) as app``."""
    return lambda settings: service_runner.serve(SupportApp, create_app(settings))


@pytest.fixture
def open_probe(amqp_url: str) -> Callable[[str], EventProbe]:
    """A probe on an exchange: ``async with open_probe(exchange) as events``."""
    return lambda exchange: EventProbe(amqp_url, exchange, watch=SupportApp.watch)


@pytest.fixture
async def support(
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], AbstractAsyncContextManager[SupportApp]],
) -> AsyncIterator[SupportApp]:
    async with start_app(make_settings()) as app:
        yield app


@pytest.fixture
def events(support: SupportApp) -> EventProbe:
    """The probe on the test's exchange: support's events, and publishing as others."""
    return support.bus


@pytest.fixture
def add_customers(support: SupportApp, events: EventProbe) -> Callable[..., Awaitable[None]]:
    """Publish customer-created events as the customer service would, and wait until
    the support projection holds them (snapshot and tier applied)."""

    async def add(*customers: CustomerCreated) -> None:
        for customer in customers:
            await events.publish(customer)
        wanted = {
            "_id": {"$in": [c.customer_id for c in customers]},
            "version": {"$exists": True},
            "tier": {"$exists": True},
        }

        async def projected() -> bool:
            found: int = await support.runtime.db["customers"].count_documents(wanted)
            return found == len(customers)

        await wait_until(projected, timeout=10, what="customers in the support projection")

    return add
