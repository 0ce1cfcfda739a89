"""The limits every figure is divided by, measured in the same run on the same machine.

- the raw database round trip (``find_one`` by ``_id`` on the MongoDB-protocol server),
- the raw broker publish-to-consume time (confirmed publish, then delivery to a consumer),
- each benchmarked request sent straight to its service, and through the gateway, one at a
  time with no other load;
- the host's own speed: the CPU time of a fixed pure-Python workload, taken again before
  each load step.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any

import aio_pika
import httpx
from pymongo import MongoClient

from crm_bench.figures import summary


def host_cpu_ms(rounds: int = 5) -> float:
    """CPU milliseconds a fixed pure-Python workload takes here (median of ``rounds``).

    The same code costs more CPU time when the host is slower (a shared machine's
    neighbours, its clock), and every process's CPU per request moves with it: taken
    before each step, this says how much of a change between steps or runs is the
    host's rather than the platform's.
    """
    timings = []
    for _ in range(rounds):
        started = time.process_time()
        total = 0
        for number in range(200_000):
            total += number * number % 7
        timings.append((time.process_time() - started) * 1000)
    return round(statistics.median(timings), 1)


def database_round_trip(mongo_url: str, samples: int = 500) -> dict[str, float]:
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_url)
    try:
        collection = client["bench_reference"]["pings"]
        collection.insert_one({"_id": "ping", "at": 0})
        timings = []
        for _ in range(samples):
            started = time.perf_counter()
            collection.find_one({"_id": "ping"})
            timings.append((time.perf_counter() - started) * 1000)
        client.drop_database("bench_reference")
        return summary(timings)
    finally:
        client.close()


async def _broker_round_trip(amqp_url: str, samples: int) -> dict[str, float]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(f"bench.reference.{uuid.uuid4().hex}", exclusive=True)
        arrivals: asyncio.Queue[float] = asyncio.Queue()

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            await message.ack()
            arrivals.put_nowait(time.perf_counter())

        await queue.consume(on_message)
        timings = []
        for number in range(samples):
            started = time.perf_counter()
            await channel.default_exchange.publish(
                aio_pika.Message(
                    f"ping {number}".encode(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                ),
                routing_key=queue.name,
                timeout=5,
            )
            arrived = await asyncio.wait_for(arrivals.get(), timeout=5)
            timings.append((arrived - started) * 1000)
        return summary(timings)


def broker_round_trip(amqp_url: str, samples: int = 500) -> dict[str, float]:
    return asyncio.run(_broker_round_trip(amqp_url, samples))


@dataclass(frozen=True)
class Probe:
    """One benchmarked request, sendable to the gateway or straight to its service."""

    name: str
    service: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    if_match: bool = False


def request_latency(base_url: str, probe: Probe, token: str, samples: int) -> dict[str, float]:
    """``samples`` requests one after the other; a conditional update starts from a fresh
    read and carries the ETag of each answer to the next request."""
    timings = []
    errors = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10.0) as client:
        etag = client.get(probe.path).headers.get("etag", "") if probe.if_match else ""
        for _ in range(samples):
            extra = {"If-Match": etag} if probe.if_match else {}
            started = time.perf_counter()
            response = client.request(probe.method, probe.path, json=probe.body, headers=extra)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                errors += 1
            etag = response.headers.get("etag", etag)
    return {**summary(timings), "errors": float(errors)}
