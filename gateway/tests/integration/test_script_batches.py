"""Calls of the admission script made together share one round trip to a real Redis, and
fail closed together when it does not answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from crm_chassis.redis_guard import RedisGuard, RedisUnavailable
from crm_chassis.testing import free_port, unique_name
from gateway.edge.script_batches import ScriptBatches

pytestmark = pytest.mark.integration


class CountingRedis(Redis):
    """Counts the pipelines sent: one per round trip."""

    pipelines = 0

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Pipeline:
        self.pipelines += 1
        return super().pipeline(transaction, shard_hint)


def _script() -> str:
    # A script Redis has not seen yet (its sha is new): the first batch meets NOSCRIPT.
    return f"-- {unique_name('test')}\nreturn redis.call('INCR', KEYS[1])"


async def test_calls_made_together_share_one_round_trip(redis_url: str) -> None:
    client = CountingRedis.from_url(redis_url)
    assert isinstance(client, CountingRedis)
    batches = ScriptBatches(RedisGuard(client, retry_seconds=1.0), _script())
    key = unique_name("crm:test:batch")
    try:
        counts = await asyncio.gather(*(batches.run([key], []) for _ in range(100)))
        sent_together = client.pipelines
        later = await batches.run([key], [])
    finally:
        await client.delete(key)
        await client.aclose()

    assert sorted(counts) == list(range(1, 101))
    # The batch, and the same calls again once the unknown script was loaded.
    assert sent_together == 2
    assert later == 101
    assert client.pipelines == 3


async def test_a_batch_that_gets_no_answer_fails_each_call_closed() -> None:
    client = Redis.from_url(
        f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.25, socket_timeout=0.25
    )
    guard = RedisGuard(client, retry_seconds=5.0)
    batches = ScriptBatches(guard, _script())
    try:
        outcomes = await asyncio.gather(
            *(batches.run(["crm:test:any"], []) for _ in range(3)), return_exceptions=True
        )
    finally:
        await client.aclose()

    assert [type(outcome) for outcome in outcomes] == [RedisUnavailable] * 3
    assert len({id(outcome) for outcome in outcomes}) == 3  # each its own
    assert all(
        outcome.status == 503 for outcome in outcomes if isinstance(outcome, RedisUnavailable)
    )
    assert not guard.available
