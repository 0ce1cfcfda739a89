"""Integration tier: the real notifications app served over HTTP against the real
MongoDB-protocol server and RabbitMQ, each test with its own database, exchange and
service name (the chassis's pytest plugin: ``service_runner``).

Fixtures: ``make_settings`` and ``start_app`` (replicas of one test share its settings,
so they consume one queue), ``notifications`` (one running replica), ``replicas`` (two),
``people`` (the directory's cast, known through the gateway's user events),
``consumed`` (how many deliveries of an event type the replicas have handled),
``mailbox`` (the session's SMTP capture, emptied) and ``sse`` (a Server-Sent Events
client).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crm_chassis.events import metrics
from crm_chassis.testing import RunningService, ServiceRunner, unique_name, wait_until
from crm_contracts.access import Role
from crm_contracts.events.gateway import UserChanged
from crm_localinfra.smtp import SmtpCapture
from notifications.app import create_app
from notifications.settings import Settings

pytestmark = pytest.mark.integration

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class Notifications(RunningService[Settings]):
    """The notifications app as a test holds it; ``auth()`` is sales rep rep-1."""

    caller_role = Role.SALES_REP
    caller_id = "rep-1"
    caller_team = "north"
    watch = "crm.#"

    def as_person(self, user_id: str) -> dict[str, str]:
        role = Role(CAST[user_id][0]) if user_id in CAST else Role.SALES_REP
        return self.auth(role, subject=user_id, team=CAST.get(user_id, ("", None))[1])

    async def inbox(self, user_id: str, **params: Any) -> list[dict[str, Any]]:
        response = await self.client.get(
            "/api/v1/notifications", params=params, headers=self.as_person(user_id)
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


# The directory every test starts with: role, team, active.
CAST: dict[str, tuple[str, str | None, bool]] = {
    "rep-1": ("sales_rep", "north", True),
    "rep-2": ("sales_rep", "north", True),
    "rep-south": ("sales_rep", "south", True),
    "ex-rep": ("sales_rep", "north", False),
    "mgr-north": ("sales_manager", "north", True),
    "mgr-south": ("sales_manager", "south", True),
    "mgr-gone": ("sales_manager", "north", False),
    "agent-1": ("support_agent", "tier1", True),
    "agent-2": ("support_agent", "tier1", True),
    "agent-3": ("support_agent", "tier2", True),
    "marketer-1": ("marketer", None, True),
    "admin-1": ("admin", None, True),
    "admin-gone": ("admin", None, False),
}


def user_changed(user_id: str, *, version: int = 1, **changes: Any) -> UserChanged:
    role, team, active = CAST.get(user_id, ("sales_rep", None, True))
    values: dict[str, Any] = {
        "user_id": user_id,
        "email": f"{user_id}@crm.test",
        "display_name": user_id.replace("-", " ").title(),
        "roles": [role],
        "team": team,
        "active": active,
        "version": version,
        "changed_at": NOW,
        **changes,
    }
    return UserChanged(**values)


@pytest.fixture
def make_settings(service_runner: ServiceRunner) -> Callable[..., Settings]:
    """Settings of this test's own database, exchange and service name (shared by the
    replicas a test starts); keyword arguments override fields."""
    service_name = unique_name("notifications")
    exchange = unique_name("crm_test")

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "service_name": service_name,
            "stream_poll_seconds": 0.1,
            # Mail goes to the session's capture server, never to a relay outside the test.
            "smtp": service_runner.smtp(),
            **overrides,
        }
        return service_runner.settings(
            Settings,
            "notifications",
            events={"exchange": exchange, "stop_timeout_seconds": 1.0},
            **values,
        )

    return build


@pytest.fixture
def start_app(
    service_runner: ServiceRunner,
) -> Callable[[Settings], AbstractAsyncContextManager[Notifications]]:
    """Run a (further) replica: ``async with start_app(settings) as app``."""
    return lambda settings: service_runner.serve(Notifications, create_app(settings))


@pytest.fixture
async def notifications(
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], AbstractAsyncContextManager[Notifications]],
) -> AsyncIterator[Notifications]:
    async with start_app(make_settings()) as app:
        yield app


@pytest.fixture
async def replicas(
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], AbstractAsyncContextManager[Notifications]],
) -> AsyncIterator[tuple[Notifications, Notifications]]:
    """Two replicas of one deployment: one database, one work queue."""
    settings = make_settings()
    async with start_app(settings) as first, start_app(settings) as second:
        yield first, second


@pytest.fixture
def people() -> Callable[[Notifications], Awaitable[None]]:
    """Publish the cast's user events as the gateway would, and wait until the
    directory holds them all."""

    async def known(app: Notifications) -> None:
        for user_id in CAST:
            await app.bus.publish(user_changed(user_id))

        async def copied() -> bool:
            count: int = await app.collection("people").count_documents({})
            return count == len(CAST)

        await wait_until(copied, timeout=15, what="the cast in the directory")

    return known


@pytest.fixture
def consumed() -> Callable[[Settings, str], float]:
    """How many deliveries of ``event_type`` the replicas of ``settings`` have handled
    (process-wide counter, so every replica of the test counts)."""

    def count(settings: Settings, event_type: str) -> float:
        sample = metrics.EVENTS_CONSUMED.labels(settings.service_name, event_type, "handled")
        return float(sample._value.get())

    return count


@pytest.fixture
def mailbox(smtp_server: SmtpCapture) -> SmtpCapture:
    """The session's SMTP capture, emptied for this test."""
    smtp_server.clear()
    return smtp_server


@dataclass
class SseClient:
    """One open event stream: the frames received so far, read in the background."""

    response: httpx.Response
    frames: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    retry: int | None = None
    reading: asyncio.Task[None] | None = None

    @property
    def items(self) -> list[dict[str, Any]]:
        return [json.loads(frame["data"]) for frame in self.frames]

    @property
    def ids(self) -> list[int]:
        return [int(frame["id"]) for frame in self.frames]

    async def read(self) -> None:
        frame: dict[str, str] = {}
        async for line in self.response.aiter_lines():
            if line == "":
                if frame:
                    self.frames.append(frame)
                frame = {}
            elif line.startswith(":"):
                self.comments.append(line[1:].strip())
            elif line.startswith("retry:"):
                self.retry = int(line.split(":", 1)[1])
            else:
                name, _, value = line.partition(":")
                frame[name] = value.removeprefix(" ")

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        await wait_until(
            lambda: len(self.frames) >= count, timeout=timeout, what=f"{count} stream event(s)"
        )
        return self.items

    async def ended(self, timeout: float) -> None:
        """Returns once the server has ended the stream; raises httpx's error when it was
        cut off instead (inside an event, say), ``TimeoutError`` after ``timeout``."""
        assert self.reading is not None
        await asyncio.wait_for(asyncio.shield(self.reading), timeout)


@pytest.fixture
def sse() -> Callable[..., AbstractAsyncContextManager[SseClient]]:
    """``async with sse(app, user_id, last_event_id=None) as stream``: a connected client;
    ``url=`` for another replica of ``app``'s deployment (one run as a process)."""

    @contextlib.asynccontextmanager
    async def open_stream(
        app: Notifications, user_id: str, last_event_id: int | None = None, url: str | None = None
    ) -> AsyncIterator[SseClient]:
        headers = app.as_person(user_id)
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        async with (
            httpx.AsyncClient(base_url=url or app.url, timeout=httpx.Timeout(30.0)) as client,
            client.stream("GET", "/api/v1/notifications/stream", headers=headers) as response,
        ):
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = SseClient(response)
            reader = stream.reading = asyncio.create_task(stream.read())
            try:
                # Subscribed once the first line (the retry hint) has arrived.
                await wait_until(lambda: stream.retry is not None, what="the stream")
                yield stream
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                    await reader

    return open_stream
