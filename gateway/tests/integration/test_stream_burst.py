"""Every console reconnecting at once: a burst of stream opens on a replica just started,
as a rolling update sends it the streams of the replica that went away.

Such a burst used to get 503s: each open's deny-list and rate-limit check took a Redis
connection of its own, opened or waited for within 0.25 s in an event loop busy with the
burst, and a connect that timed out failed every request closed (BENCHMARKS.md: 192 of
200). And the open streams filled the pool the gateway forwards every other call with.
A real ``python -m gateway`` against real Redis; the 1,000-stream burst takes longer and
runs under `make chaos` (CRM_CHAOS=1).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import Counter
from pathlib import Path

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role

from .event_streams import STREAM
from .process import Servers, gateway_process
from .upstream import EventStreams

pytestmark = pytest.mark.integration


async def _open_at_once(
    client: httpx.AsyncClient, tokens: list[str], held: contextlib.AsyncExitStack
) -> Counter[int]:
    """Open a stream for each token at the same moment; the streams stay open in ``held``."""

    async def open_one(token: str) -> int:
        request = client.build_request(
            "GET", STREAM, headers={**auth_header(token), "Accept": "text/event-stream"}
        )
        response = await client.send(request, stream=True)
        held.push_async_callback(response.aclose)
        return response.status_code

    return Counter(await asyncio.gather(*(open_one(token) for token in tokens)))


async def _burst(
    count: int,
    keys: SigningKeys,
    servers: Servers,
    services: dict[str, str],
    streams: EventStreams,
    log_dir: Path,
) -> tuple[Counter[int], int]:
    """The statuses of ``count`` streams opened at once on a fresh replica, and that of a
    call made while they are all open."""
    tokens = [keys.token(Role.SALES_REP, token_id=unique_name("jti")) for _ in range(count)]
    limits = httpx.Limits(max_connections=count + 10)
    async with (
        gateway_process(servers, services, log_dir) as gateway,
        httpx.AsyncClient(base_url=gateway.url, timeout=60.0, limits=limits) as client,
        contextlib.AsyncExitStack() as held,
    ):
        statuses = await _open_at_once(client, tokens, held)
        await wait_until(lambda: streams.open >= statuses[200], what="the streams open")
        other = await client.get("/api/v1/customers", headers=auth_header(tokens[0]))
    return statuses, other.status_code


@pytest.fixture
def servers(
    signing_keys: SigningKeys, mongo_url: str, mongo_db_name: str, amqp_url: str, redis_url: str
) -> Servers:
    return Servers(signing_keys, mongo_url, mongo_db_name, amqp_url, redis_url)


@pytest.fixture
def services(
    notifications: tuple[str, EventStreams], upstream_urls: dict[str, str]
) -> dict[str, str]:
    return {"notifications": notifications[0], "customer": upstream_urls["customer"]}


async def test_200_streams_opened_at_once_on_a_fresh_replica_are_all_admitted(
    signing_keys: SigningKeys,
    servers: Servers,
    services: dict[str, str],
    streams: EventStreams,
    tmp_path: Path,
) -> None:
    statuses, other_call = await _burst(200, signing_keys, servers, services, streams, tmp_path)

    assert statuses == Counter({200: 200})
    assert other_call == 200  # the open streams left the forwarding pool to other calls


@pytest.mark.skipif(
    os.environ.get("CRM_CHAOS") != "1", reason="opens 1,000 streams: run with `make chaos`"
)
async def test_1000_streams_opened_at_once_on_a_fresh_replica_are_all_admitted(
    signing_keys: SigningKeys,
    servers: Servers,
    services: dict[str, str],
    streams: EventStreams,
    tmp_path: Path,
) -> None:
    statuses, other_call = await _burst(1000, signing_keys, servers, services, streams, tmp_path)

    assert statuses == Counter({200: 1000})
    assert other_call == 200
