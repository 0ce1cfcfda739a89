"""Integration tier: the real analytics app served over HTTP against the real
MongoDB-protocol server, RabbitMQ and SMTP capture, each test with its own database,
exchange and queue (the chassis's pytest plugin: ``service_runner``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from analytics.app import create_app
from analytics.components import Components, components
from analytics.settings import Settings
from crm_chassis.testing import RunningService, ServiceRunner, wait_until
from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.registry import EventData

from ..factories import envelope

pytestmark = pytest.mark.integration


class Service(RunningService[Settings]):
    """The analytics app as a test holds it, with the broker as the other services see it
    (publish their events, watch ours); ``auth()`` is analyst u-1."""

    caller_role = Role.ANALYST
    caller_id = "u-1"
    watch = "crm.analytics.#"

    @property
    def analyst(self) -> dict[str, str]:
        return self.auth(Role.ANALYST)

    @property
    def parts(self) -> Components:
        return components(self.runtime)

    async def publish(self, *items: EventData | CloudEvent) -> list[CloudEvent]:
        events = [item if isinstance(item, CloudEvent) else envelope(item) for item in items]
        for event in events:
            await self.bus.publish_event(event)
        return events

    async def settled(self, archived: int, timeout: float = 30.0) -> None:
        """Wait until ``archived`` distinct events are handled (an event is archived
        after it was folded) and every rollup is up to date."""
        store = self.parts.store

        async def done() -> bool:
            handled = await store.count_archived()
            return handled >= archived and await store.dirty_count() == 0

        await wait_until(done, timeout=timeout, interval=0.05, what=f"{archived} events ingested")

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.client.get(path, params=params, headers=self.analyst)
        assert response.status_code == 200, response.text
        return response.json()


def running(runner: ServiceRunner) -> AbstractAsyncContextManager[Service]:
    """The app at test speed, served by ``runner`` on its database."""
    settings = runner.settings(
        Settings,
        "analytics",
        rollup_refresh_seconds=0.05,
        schedule_poll_seconds=0.2,
        smtp=runner.smtp(),
        events={"prefetch_count": 64},
    )
    return runner.serve(Service, create_app(settings))


@pytest.fixture
async def service(service_runner: ServiceRunner) -> AsyncIterator[Service]:
    async with running(service_runner) as service:
        yield service
