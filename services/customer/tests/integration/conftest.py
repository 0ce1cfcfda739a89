"""Integration tier: the real customer app served over HTTP against the real
MongoDB-protocol server and RabbitMQ, each test with its own database, exchange and
service name (the chassis's pytest plugin: ``service_runner``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from crm_chassis.testing import RunningService, ServiceRunner
from crm_contracts.access import Role
from customer.app import create_app
from customer.settings import Settings

pytestmark = pytest.mark.integration


class Service(RunningService[Settings]):
    """The customer app as a test holds it; ``auth()`` is an administrator's."""

    caller_role = Role.ADMIN
    caller_id = "u-admin"
    watch = "crm.customer.#"


@pytest.fixture
async def service(service_runner: ServiceRunner) -> AsyncIterator[Service]:
    settings = service_runner.settings(
        Settings,
        "customer",
        profile="development",  # its fixed development PII keys
        events={"stop_timeout_seconds": 1.0},
    )
    async with service_runner.serve(Service, create_app(settings)) as running:
        yield running
