"""The Redis guard fails closed, skips a dead Redis for a while, and does not mistake a
busy connection pool for a dead Redis."""

from __future__ import annotations

from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from crm_chassis.redis_guard import RedisGuard, RedisUnavailable


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _Calls:
    """An operation that fails with each error given, then answers "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.count = 0

    async def __call__(self, _: Any) -> str:
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def _pool_timeout() -> RedisConnectionError:
    try:
        try:
            raise TimeoutError
        except TimeoutError as waited:
            raise RedisConnectionError("No connection available.") from waited
    except RedisConnectionError as error:
        return error


async def test_a_dead_redis_fails_closed_and_is_left_alone_until_the_retry_time() -> None:
    clock = _Clock()
    guard = RedisGuard(object(), retry_seconds=2.0, clock=clock)  # type: ignore[arg-type]
    operation = _Calls(RedisConnectionError("refused"))

    with pytest.raises(RedisUnavailable) as first:
        await guard.require(operation)
    clock.now += 0.5
    with pytest.raises(RedisUnavailable) as skipped:
        await guard.require(operation)
    assert operation.count == 1  # not tried while known down
    assert (first.value.status, first.value.headers["Retry-After"]) == (503, "2")
    assert skipped.value.headers["Retry-After"] == "2"  # 1.5 s left, rounded up
    assert guard.detail()["mode"] == "fail-closed"
    assert await guard.call(operation, fallback="fallback") == "fallback"

    clock.now += 2.0
    assert await guard.require(operation) == "ok"
    assert guard.available
    assert guard.detail() == {"ok": True, "mode": "enforcing"}


async def test_a_wait_for_a_busy_pool_fails_that_call_alone() -> None:
    guard = RedisGuard(object(), retry_seconds=2.0, clock=_Clock())  # type: ignore[arg-type]
    operation = _Calls(_pool_timeout())

    with pytest.raises(RedisUnavailable) as busy:
        await guard.require(operation)

    assert busy.value.headers["Retry-After"] == "1"
    assert guard.available
    assert await guard.require(operation) == "ok"
    assert operation.count == 2
