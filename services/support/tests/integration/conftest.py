"""Integration tier: the real support app against the real MongoDB-protocol server,
RabbitMQ and SMTP capture, each test with its own database, exchange and service name.

Everything tests need comes from fixtures (no imports between test files, so the
tiers of every service can be collected in one run): ``support`` (a running app with
an HTTP client), ``events`` (a probe on the test's exchange), ``make_settings``,
``start_app`` and ``open_probe`` for tests running several replicas, ``add_customers``
(customers known through events) and ``bodies`` (test data).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from crm_chassis.service import ServiceRuntime
from crm_chassis.testing import EventProbe, SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role
from crm_contracts.events.customer import CustomerCreated
from crm_localinfra.smtp import SmtpCapture
from support.app import create_app
from support.settings import Settings

pytestmark = pytest.mark.integration


@dataclass
class SupportApp:
    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings
    keys: SigningKeys

    @property
    def runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.app.state.runtime
        return runtime

    def auth(
        self, role: Role = Role.SUPPORT_AGENT, subject: str = "agent-1", team: str | None = None
    ) -> dict[str, str]:
        return auth_header(self.keys.token(role, subject=subject, team=team))

    @property
    def admin(self) -> dict[str, str]:
        return self.auth(Role.ADMIN, subject="admin-1")


@asynccontextmanager
async def running(settings: Settings, keys: SigningKeys) -> AsyncIterator[SupportApp]:
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://support") as client:
            yield SupportApp(app, client, settings, keys)


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


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys.generate()


@pytest.fixture
def make_settings(
    keys: SigningKeys, mongo_url: str, amqp_url: str, mongo_db_name: str, smtp_server: SmtpCapture
) -> Callable[..., Settings]:
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
            "jwt_public_key": keys.public_pem,
            "mongo_url": mongo_url,
            "mongo_db": mongo_db_name,
            "amqp_url": amqp_url,
            "events": {
                "exchange": exchange,
                "retry_delays_seconds": [0.2],
                "relay_poll_seconds": 0.1,
            },
            "smtp": {"host": smtp_server.host, "port": smtp_server.port},
            "sla_scan_interval_seconds": 0.2,
        }
        return Settings.model_validate({**values, **overrides})

    return build


@pytest.fixture
def start_app(keys: SigningKeys) -> Callable[[Settings], AbstractAsyncContextManager[SupportApp]]:
    """Run a (further) replica: ``async with start_app(settings) as app``."""
    return lambda settings: running(settings, keys)


@pytest.fixture
def open_probe(amqp_url: str) -> Callable[[str], EventProbe]:
    """A probe on an exchange: ``async with open_probe(exchange) as events``."""
    return lambda exchange: EventProbe(amqp_url, exchange, watch="crm.support.#")


@pytest.fixture
async def support(
    make_settings: Callable[..., Settings], keys: SigningKeys
) -> AsyncIterator[SupportApp]:
    async with running(make_settings(), keys) as app:
        yield app


@pytest.fixture
async def events(support: SupportApp, amqp_url: str) -> AsyncIterator[EventProbe]:
    async with EventProbe(
        amqp_url, support.settings.events.exchange, watch="crm.support.#"
    ) as probe:
        yield probe


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
