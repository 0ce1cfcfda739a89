"""Dependencies failing under steady writes: the broker restarts, the database restarts, the
database answers slowly. Each ends with an audit: every customer the API acknowledged is
there once, and analytics counted each customer that exists exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chaos.events import customer_count
from crm_chassis.pagination import MAX_PAGE_SIZE
from crm_chassis.testing import free_port, wait_until
from crm_contracts.access import Role
from crm_e2e.harness import Platform, running_platform
from crm_localinfra.mongo import MongoServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow_fault]


class SteadyWriter:
    """Creates customers one after another until stopped; remembers every answer."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.created: list[str] = []
        self.statuses: list[int] = []
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SteadyWriter:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._task is not None
        await self._task

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                response = await self.client.post(
                    "/api/v1/customers", json={"name": f"Steady {uuid.uuid4().hex[:8]}"}
                )
            except httpx.HTTPError:
                self.statuses.append(0)
                continue
            self.statuses.append(response.status_code)
            if response.status_code == 201:
                self.created.append(response.json()["id"])
            elif response.status_code >= 500 or response.status_code == 0:
                await asyncio.sleep(0.05)  # back off as a client would while a dependency is down


async def customer_ids(client: httpx.AsyncClient) -> tuple[set[str], int]:
    """Every customer's id, read a page of the largest size at a time, and the total the
    list reports."""
    ids: set[str] = set()
    while True:
        response = await client.get(
            "/api/v1/customers", params={"offset": len(ids), "limit": MAX_PAGE_SIZE}
        )
        response.raise_for_status()
        page = response.json()
        ids.update(item["id"] for item in page["items"])
        if not page["items"] or len(ids) >= page["total"]:
            return ids, int(page["total"])


async def audit(platform: Platform, writer: SteadyWriter, before: int) -> None:
    """Nothing acknowledged is lost; analytics counts exactly the customers that exist.

    The gateway limits each caller's requests and the writer spent its share, so the
    audit reads as a caller of its own, through the list in pages of the largest size:
    its requests do not grow with how many customers a fast host wrote meanwhile.
    """
    token = platform.keys.token(Role.ADMIN, subject=f"auditor-{uuid.uuid4().hex[:8]}")
    async with platform.client(token) as auditor:
        ids, existing = await customer_ids(auditor)
        assert len(ids) == existing
        assert set(writer.created) <= ids, sorted(set(writer.created) - ids)

        async def counted() -> bool:
            return await customer_count(auditor) >= before + existing

        await wait_until(counted, timeout=90, interval=0.25, what="analytics caught up")
        assert await customer_count(auditor) == before + existing


@contextlib.asynccontextmanager
async def customer_and_analytics(
    mongo_url: str, amqp_url: str, redis_url: str, smtp: Any
) -> AsyncIterator[Platform]:
    async with running_platform(
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        redis_url=redis_url,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        services=("customer", "analytics"),
    ) as platform:
        yield platform


async def run_for(seconds: float) -> None:
    """Let the steady writer work for a while (the writes are what is being waited on)."""
    await asyncio.sleep(seconds)


async def test_broker_restart_during_steady_writes_loses_and_doubles_nothing(
    rabbitmq_node: Any, mongo_url: str, redis_url: str, smtp_server: Any
) -> None:
    async with (
        customer_and_analytics(mongo_url, rabbitmq_node.url, redis_url, smtp_server) as platform,
        platform.admin() as client,
    ):
        before = await customer_count(client)
        async with SteadyWriter(client) as writer:
            await run_for(1.0)
            await asyncio.to_thread(rabbitmq_node.stop)
            await run_for(2.0)
            await asyncio.to_thread(rabbitmq_node.start)
            await run_for(2.0)
        assert set(writer.statuses) == {201}, sorted(set(writer.statuses))
        await audit(platform, writer, before)


async def test_a_full_disk_on_the_broker_holds_events_in_the_outbox_until_it_clears(
    rabbitmq_node: Any, mongo_url: str, redis_url: str, smtp_server: Any
) -> None:
    """A disk alarm (the broker's disk "full": free space below its limit) blocks every
    publisher. Writes must still be accepted, their events wait in the outbox, and all
    of them arrive once the alarm clears."""
    async with (
        customer_and_analytics(mongo_url, rabbitmq_node.url, redis_url, smtp_server) as platform,
        platform.admin() as client,
    ):
        before = await customer_count(client)
        await asyncio.to_thread(rabbitmq_node.ctl, "set_disk_free_limit", str(10**15))
        try:

            async def disk_alarm_raised() -> bool:
                status = await asyncio.to_thread(rabbitmq_node.ctl, "status")
                return "free disk space alarm" in status.lower()

            await wait_until(disk_alarm_raised, timeout=30, what="the disk alarm")
            async with SteadyWriter(client) as writer:
                await run_for(3.0)
            assert set(writer.statuses) == {201}, sorted(set(writer.statuses))
            assert await customer_count(client) < before + len(writer.created)
        finally:
            await asyncio.to_thread(rabbitmq_node.ctl, "set_disk_free_limit", str(50 * 10**6))
        await audit(platform, writer, before)


async def test_database_restart_during_steady_writes_loses_and_doubles_nothing(
    amqp_url: str, redis_url: str, smtp_server: Any, tmp_path: Path
) -> None:
    database = MongoServer(free_port(), tmp_path / "mongo", h2_file=tmp_path / "mongo" / "crm.mv")
    await asyncio.to_thread(database.start)
    try:
        async with (
            customer_and_analytics(database.url, amqp_url, redis_url, smtp_server) as platform,
            platform.admin() as client,
        ):
            before = await customer_count(client)
            async with SteadyWriter(client) as writer:
                await run_for(1.0)
                await asyncio.to_thread(database.stop)
                await run_for(1.5)
                await asyncio.to_thread(database.start)
                await run_for(3.0)
            assert writer.statuses.count(201) > 10
            refused = {status for status in writer.statuses if status != 201}
            assert refused <= {0, 500, 503, 504}, refused
            assert 201 in writer.statuses[-5:], "writes did not recover after the restart"
            await audit(platform, writer, before)
    finally:
        await asyncio.to_thread(database.stop)


class DelayingProxy:
    """A TCP proxy that holds every chunk for ``delay`` seconds in each direction."""

    def __init__(self, target_port: int, delay: float) -> None:
        self.target_port = target_port
        self.delay = delay
        self.port = free_port()
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> DelayingProxy:
        self._server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.target_port
        )
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(65536):
                await asyncio.sleep(self.delay)
                writer.write(chunk)
                await writer.drain()
        writer.close()


async def test_slow_database_keeps_every_write_and_event(
    mongo_url: str, amqp_url: str, redis_url: str, smtp_server: Any
) -> None:
    mongo_port = int(mongo_url.rsplit(":", 1)[1])
    async with DelayingProxy(mongo_port, delay=0.05) as proxy:
        slow_url = f"mongodb://127.0.0.1:{proxy.port}"
        async with (
            customer_and_analytics(slow_url, amqp_url, redis_url, smtp_server) as platform,
            platform.admin() as client,
        ):
            before = await customer_count(client)
            started = time.monotonic()
            async with SteadyWriter(client) as writer:
                await run_for(3.0)
            assert set(writer.statuses) == {201}, sorted(set(writer.statuses))
            assert time.monotonic() - started < 30
            await audit(platform, writer, before)
