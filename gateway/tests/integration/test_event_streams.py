"""Event streams (text/event-stream) forwarded through the gateway: each event passed on
at once, not cut by the upstream read timeout, still behind the token, the deny-list and
the rate limit, and no longer than the token stays valid.

The notifications service is played by a fake built with the chassis (the gateway learns
the stream's route and permission from its OpenAPI document), served over real HTTP,
and so is the gateway: an in-process transport would buffer the whole response."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from crm_chassis.shutdown import stopping
from crm_chassis.testing import SigningKeys, auth_header, serve_app, unique_name, wait_until
from crm_contracts.access import Role
from gateway.app import create_app
from gateway.settings import Settings

from .conftest import admin_token
from .event_streams import STREAM, connected, open_stream, sse_event
from .upstream import EventStreams

pytestmark = pytest.mark.integration


@pytest.fixture
def served(
    gateway_settings: Callable[..., Settings],
    upstream_urls: dict[str, str],
    notifications: tuple[str, EventStreams],
) -> Callable[..., Any]:
    """The gateway over real HTTP, forwarding to the fake notifications service, with a
    short upstream read timeout (1 s) that a stream must outlast."""

    @asynccontextmanager
    async def serve(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        values: dict[str, Any] = {
            "service_urls": {
                **dict.fromkeys(("marketing", "support", "analytics"), ""),
                **upstream_urls,
                "notifications": notifications[0],
            },
            "upstream": {"read_timeout_seconds": 1.0, "stream_recheck_seconds": 0.2},
            **overrides,
        }
        app = create_app(gateway_settings(**values))
        async with (
            serve_app(app) as url,
            httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(60.0)) as client,
        ):
            client.app = app  # type: ignore[attr-defined]
            yield client

    return serve


async def test_each_event_reaches_the_caller_before_the_service_finishes(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    async with served() as gateway:
        token = await admin_token(gateway)
        async with open_stream(gateway, token, **{"Last-Event-ID": "41"}) as reader:
            queue = await connected(streams)
            await queue.put(sse_event(42, '{"n": 1}'))

            first = await reader.next()
            still_streaming = streams.open
            await queue.put(sse_event(43, '{"n": 2}'))
            second = await reader.next()
            await queue.put(None)
            end = await reader.next()

    assert reader.response.status_code == 200
    assert reader.response.headers["content-type"].startswith("text/event-stream")
    assert reader.response.headers.get_list("x-accel-buffering") == ["no"]
    assert streams.last_event_ids == ["41"]
    assert first == b'id: 42\nevent: notification\ndata: {"n": 1}'
    assert still_streaming == 1
    assert second == b'id: 43\nevent: notification\ndata: {"n": 2}'
    assert end is None


async def test_an_idle_stream_with_keep_alives_outlasts_the_read_timeout(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    streams.reset(keep_alive_seconds=4.0)
    async with served() as gateway:
        token = await admin_token(gateway)
        async with open_stream(gateway, token) as reader:
            queue = await connected(streams)
            opened = time.monotonic()
            comments = []
            while time.monotonic() - opened < 20:
                comments.append(await reader.next(timeout=10))
            await queue.put(sse_event(1, "{}"))
            event = await reader.next()

    assert len(comments) >= 4
    assert set(comments) == {b": keep-alive"}
    assert event == b"id: 1\nevent: notification\ndata: {}"


async def test_a_revoked_token_cannot_open_a_stream(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    async with served() as gateway:
        token = await admin_token(gateway)
        logout = await gateway.post("/api/v1/auth/logout", headers=auth_header(token))

        refused = await gateway.get(
            STREAM, headers={**auth_header(token), "Accept": "text/event-stream"}
        )
        anonymous = await gateway.get(STREAM, headers={"Accept": "text/event-stream"})

    assert logout.status_code == 204
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert anonymous.status_code == 401
    assert streams.connections == []


async def test_an_open_stream_ends_when_its_token_is_revoked(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    streams.reset(keep_alive_seconds=0.3)  # busier than the read timeout: only revoking ends it
    async with served() as gateway:
        token = await admin_token(gateway)
        async with open_stream(gateway, token) as reader:
            await connected(streams)
            await wait_until(lambda: streams.open == 1, what="the stream open")
            logout = await gateway.post("/api/v1/auth/logout", headers=auth_header(token))

            end = await reader.next_event()
            await wait_until(lambda: streams.open == 0, what="the service's stream closed")

    assert logout.status_code == 204
    assert end is None


async def test_an_open_stream_ends_when_its_token_expires(
    served: Callable[..., Any], streams: EventStreams, signing_keys: SigningKeys
) -> None:
    streams.reset(keep_alive_seconds=0.3)  # busier than the read timeout: only expiry ends it
    async with served() as gateway:
        # Minted once the gateway is up, so a slow start-up does not eat its lifetime.
        token = signing_keys.token(
            Role.SALES_REP, ttl=timedelta(seconds=5), token_id=unique_name("jti")
        )
        expires = jwt.decode(token, options={"verify_signature": False})["exp"]
        async with open_stream(gateway, token) as reader:
            await connected(streams)

            end = await reader.next_event(timeout=15)
            ended = time.time()
            await wait_until(lambda: streams.open == 0, what="the service's stream closed")

    assert reader.response.status_code == 200
    assert end is None
    # Not before the token's expiry, and soon after it: the gateway may finish the event
    # under way (up to 2 s) before it cuts the stream.
    assert expires <= ended < expires + 3


async def test_the_service_stream_is_closed_when_the_caller_goes(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    streams.reset(keep_alive_seconds=0.3)
    async with served() as gateway:
        token = await admin_token(gateway)
        async with open_stream(gateway, token) as reader:
            queue = await connected(streams)
            await queue.put(sse_event(1, "{}"))
            assert await reader.next_event() is not None
            assert streams.open == 1

        await wait_until(lambda: streams.open == 0, what="the service's stream closed")


async def test_opening_a_stream_counts_against_the_rate_limit(
    served: Callable[..., Any], streams: EventStreams, signing_keys: SigningKeys
) -> None:
    token = signing_keys.token(Role.SALES_REP, token_id=unique_name("jti"))
    limits = {"enabled": True, "default": 2, "per_role": {}, "window_seconds": 60}
    async with served(rate_limits=limits) as gateway:
        statuses = []
        for _ in range(3):
            async with open_stream(gateway, token) as reader:
                statuses.append(reader.response.status_code)

    assert statuses == [200, 200, 429]


async def test_a_stream_ended_by_a_stopping_gateway_first_finishes_the_event_under_way(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    # The console's client takes an event's id as soon as it reads it: a stream cut inside
    # event 5 would resume after 5 without ever having shown it.
    async with served() as gateway:
        token = await admin_token(gateway)
        async with open_stream(gateway, token) as reader:
            queue = await connected(streams)
            await queue.put(b"id: 5\nevent: notification\n")
            started = await reader.read_chunk()

            stopping(gateway.app).begin()  # what SIGTERM does (test_shutdown.py)
            await queue.put(b'data: {"n": 5}\n\nid: 6\nevent: notification\n')
            finished = await reader.next_event()
            end = await reader.next_event()

    assert started == b"id: 5\nevent: notification\n"
    assert finished == b'id: 5\nevent: notification\ndata: {"n": 5}'
    assert end is None  # event 6 is left for the replica the client reconnects to


async def test_open_streams_leave_the_request_pool_to_other_calls_up_to_max_streams(
    served: Callable[..., Any], streams: EventStreams
) -> None:
    upstream = {
        "read_timeout_seconds": 1.0,
        "max_connections": 2,  # fewer than the streams: they must not take these
        "pool_wait_seconds": 1.0,
        "max_streams": 3,
    }
    async with served(upstream=upstream) as gateway:
        token = await admin_token(gateway)
        async with contextlib.AsyncExitStack() as open_streams:
            readers = [
                await open_streams.enter_async_context(open_stream(gateway, token))
                for _ in range(3)
            ]
            await connected(streams, count=3)
            other_call = await gateway.get("/api/v1/customers", headers=auth_header(token))
            one_too_many = await gateway.get(
                STREAM, headers={**auth_header(token), "Accept": "text/event-stream"}
            )
            await readers[0].response.aclose()
            await wait_until(lambda: streams.open == 2, what="a stream closed")
            async with open_stream(gateway, token) as another:
                again = another.response.status_code

    assert [reader.response.status_code for reader in readers] == [200, 200, 200]
    assert other_call.status_code == 200
    assert one_too_many.status_code == 503
    assert one_too_many.headers["content-type"] == "application/problem+json"
    assert one_too_many.headers["retry-after"] == "5"
    assert "3 event streams at most" in one_too_many.json()["detail"]
    assert again == 200  # a full replica is not a failing service: its circuit stays shut
