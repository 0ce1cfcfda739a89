"""Event lag: from a write acknowledged by the gateway to the analytics read model showing it.

Customers are created through the gateway at a fixed rate (each write publishes one
``crm.customer.customer.created.v1`` through the outbox); meanwhile the analytics
customer count is polled straight at the service every few milliseconds. The k-th
acknowledged write is taken as visible at the first poll that counts k new customers,
so each lag is exact to within one poll interval.
"""

from __future__ import annotations

import asyncio
import bisect
import time
import uuid
from collections import Counter
from typing import Any

import httpx

from crm_bench.figures import summary

POLL_SECONDS = 0.005
# Writes are sent on schedule but never more than this many at once (as a client pool would).
MAX_IN_FLIGHT = 64


async def _count(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/v1/reports/customer-count")
    response.raise_for_status()
    total: int = response.json()["total"]
    return total


async def _settled_count(
    client: httpx.AsyncClient, quiet: float = 5.0, limit: float = 180.0
) -> int:
    """The count once it has stopped moving for ``quiet`` s: events of earlier load steps
    still on their way would otherwise be taken for the probe's writes."""
    deadline = time.perf_counter() + limit
    count, since = await _count(client), time.perf_counter()
    while time.perf_counter() - since < quiet and time.perf_counter() < deadline:
        await asyncio.sleep(0.25)
        latest = await _count(client)
        if latest != count:
            count, since = latest, time.perf_counter()
    return count


async def measure_event_lag(
    gateway_url: str,
    analytics_url: str,
    writer_tokens: list[str],
    reader_token: str,
    *,
    rate: float = 200.0,
    seconds: float = 15.0,
    settle_timeout: float = 60.0,
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    async with (
        httpx.AsyncClient(base_url=gateway_url, timeout=10.0, limits=limits) as writer,
        httpx.AsyncClient(
            base_url=analytics_url,
            headers={"Authorization": f"Bearer {reader_token}"},
            timeout=10.0,
        ) as reader,
    ):
        base = await _settled_count(reader)
        acknowledged: list[float] = []
        failures: Counter[str] = Counter()
        polls: list[tuple[float, int]] = []
        unreadable: list[float] = []
        writing = True

        in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)

        async def write(number: int) -> None:
            token = writer_tokens[number % len(writer_tokens)]
            try:
                async with in_flight:
                    response = await writer.post(
                        "/api/v1/customers",
                        json={"name": f"Lag probe {uuid.uuid4().hex[:8]}"},
                        headers={"Authorization": f"Bearer {token}"},
                    )
            except httpx.HTTPError as error:
                failures[type(error).__name__] += 1
                return
            if response.status_code == 201:
                acknowledged.append(time.perf_counter())
            else:
                failures[str(response.status_code)] += 1

        async def poll() -> None:
            deadline = None
            while True:
                try:
                    polls.append((time.perf_counter(), await _count(reader) - base))
                except httpx.HTTPError:
                    unreadable.append(time.perf_counter())
                if not writing:
                    deadline = deadline or time.perf_counter() + settle_timeout
                    if (polls and polls[-1][1] >= len(acknowledged)) or (
                        time.perf_counter() > deadline
                    ):
                        return
                await asyncio.sleep(POLL_SECONDS)

        poller = asyncio.create_task(poll())
        started = time.perf_counter()
        total = int(rate * seconds)
        writes = []
        for number in range(total):
            due = started + number / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            writes.append(asyncio.create_task(write(number)))
        await asyncio.gather(*writes)
        elapsed = time.perf_counter() - started
        writing = False
        await poller

    acknowledged.sort()
    counts = [count for _, count in polls]
    lags = []
    lost = 0
    for index, acked_at in enumerate(acknowledged):
        position = bisect.bisect_left(counts, index + 1)
        if position == len(polls):
            lost += 1
            continue
        seen_at = polls[position][0]
        lags.append(max(0.0, (seen_at - acked_at) * 1000))
    return {
        "target_rate": rate,
        "achieved_rate": round(len(acknowledged) / elapsed, 1),
        "writes": len(acknowledged),
        "write_failures": sum(failures.values()),
        "write_failures_by_reason": dict(failures),
        "not_seen": lost,
        "final_count": counts[-1] if counts else 0,
        # More counted than written: earlier steps' events were still arriving, so the
        # lags are too short to trust (the report says so).
        "counted_beyond_writes": max(0, (counts[-1] if counts else 0) - len(acknowledged)),
        "failed_polls": len(unreadable),
        **summary(lags),
    }
