"""SIGTERM with event streams open: what a rolling update does to a gateway replica.

Real ``python -m gateway`` processes (two replicas behind one service, as in the cluster)
forward the console's notification stream to a fake notifications service. The replica
that gets SIGTERM must end its open streams at once and cleanly (so the browser reconnects,
with ``Last-Event-ID``, to a replica that stays), and exit within seconds instead of
waiting out ``CRM_SHUTDOWN_GRACE_SECONDS`` for streams that never end by themselves.
"""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx
import pytest

from crm_chassis.testing import SigningKeys, unique_name, wait_until
from crm_contracts.access import Role

from .event_streams import connected, open_stream, sse_event
from .process import Servers, gateway_process
from .upstream import EventStreams

pytestmark = pytest.mark.integration

# What the cluster gives (k8s/base/common): uvicorn would wait this long for open streams.
GRACE_SECONDS = "20"
# Exiting takes the stream ends, the event bus's stop and the lifespan's closing.
EXIT_WITHIN_SECONDS = 6.0


async def test_sigterm_ends_open_streams_cleanly_and_the_replica_exits_promptly(
    signing_keys: SigningKeys,
    mongo_url: str,
    mongo_db_name: str,
    amqp_url: str,
    redis_url: str,
    notifications: tuple[str, EventStreams],
    streams: EventStreams,
    tmp_path: Path,
) -> None:
    servers = Servers(signing_keys, mongo_url, mongo_db_name, amqp_url, redis_url)
    services = {"notifications": notifications[0]}
    token = signing_keys.token(Role.SALES_REP, token_id=unique_name("jti"))
    async with (
        gateway_process(
            servers, services, tmp_path, SHUTDOWN_GRACE_SECONDS=GRACE_SECONDS
        ) as leaving,
        gateway_process(servers, services, tmp_path) as staying,
        httpx.AsyncClient(base_url=leaving.url, timeout=30.0) as to_leaving,
        httpx.AsyncClient(base_url=staying.url, timeout=30.0) as to_staying,
    ):
        async with open_stream(to_leaving, token) as reader:
            queue = await connected(streams)
            await queue.put(sse_event(7, '{"n": 7}'))
            delivered = await reader.next_event()

            leaving.terminate()
            signalled = time.monotonic()
            end = await reader.next_event(timeout=EXIT_WITHIN_SECONDS)
            ended_after = time.monotonic() - signalled
            # httpx raises on a response cut off mid-way: reaching here, the end was clean.
            exit_code = await asyncio.wait_for(leaving.process.wait(), EXIT_WITHIN_SECONDS)
            exited_after = time.monotonic() - signalled
        await wait_until(lambda: streams.open == 0, what="the service's stream closed")

        # The browser reconnects to the replica that stays, from the last event it saw.
        async with open_stream(to_staying, token, **{"Last-Event-ID": "7"}) as resumed:
            queue = await connected(streams, count=2)
            await queue.put(sse_event(8, '{"n": 8}'))
            next_one = await resumed.next_event()

    assert delivered == b'id: 7\nevent: notification\ndata: {"n": 7}'
    assert reader.response.status_code == 200
    assert end is None
    assert ended_after < EXIT_WITHIN_SECONDS
    # uvicorn re-raises the signal once it has shut down cleanly (exit status 143).
    assert exit_code in (0, -signal.SIGTERM)
    assert exited_after < EXIT_WITHIN_SECONDS
    assert "timeout graceful shutdown exceeded" not in leaving.log()
    assert streams.last_event_ids == [None, "7"]
    assert next_one == b'id: 8\nevent: notification\ndata: {"n": 8}'
