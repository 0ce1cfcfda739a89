"""Integration tier: the real marketing app served over HTTP against the real
MongoDB-protocol server, RabbitMQ and an SMTP capture server; each test has its own
database, and each app its own exchange and service name (the chassis's pytest
plugin: ``service_runner``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from crm_chassis.testing import RunningService, ServiceRunner, wait_until
from crm_contracts.access import Role
from crm_localinfra.smtp import SmtpCapture
from marketing.app import create_app
from marketing.settings import Settings

pytestmark = pytest.mark.integration


class Service(RunningService[Settings]):
    """The marketing app as a test holds it; ``auth()`` is a marketer of team growth."""

    caller_role = Role.MARKETER
    caller_id = "u-marketer"
    caller_team = "growth"
    watch = "crm.marketing.#"

    @property
    def marketer(self) -> dict[str, str]:
        return self.auth()

    async def projected(self, count: int, timeout: float = 30.0) -> None:
        """Wait until ``count`` customers reached the local projection."""
        projection = self.collection("customer_projection")

        async def arrived() -> bool:
            return await projection.count_documents({}) >= count

        await wait_until(arrived, timeout=timeout, what=f"{count} projected customers")


ServiceFactory = Callable[..., AbstractAsyncContextManager[Service]]


@pytest.fixture
def service_factory(service_runner: ServiceRunner) -> ServiceFactory:
    """Starts the app with test-speed settings; keyword arguments override settings."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Service]:
        values: dict[str, Any] = {
            "smtp": service_runner.smtp(),
            "public_base_url": "http://gateway.test",
            "tracking_secret": "integration-test-tracking-secret",
            "send_poll_seconds": 0.05,
            "send_batch_size": 200,
            "smtp_connections": 8,
            "send_retry_base_seconds": 0.2,
            "send_retry_max_seconds": 1.0,
            "metrics_interval_seconds": 0.2,
        }
        settings = service_runner.settings(Settings, "marketing", **{**values, **overrides})
        async with service_runner.serve(Service, create_app(settings)) as running:
            yield running

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
