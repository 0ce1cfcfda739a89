"""Redis calls with bounded cost when Redis is away, failing closed where it decides access.

Every call is bounded by the client's short socket timeouts. After a failure the
guard leaves Redis alone for ``retry_seconds`` (so a dead Redis costs nothing per
request), logs the transition once, and reports its state (``detail``, for
readiness). A call that only waited too long for a pooled connection (this process
is busy, Redis is not down) fails alone: it does not stop the calls after it.

What Redis decides for access (the token deny-list, rate limits with a token,
failed sign-in counters) uses :meth:`RedisGuard.require`, which raises
:class:`RedisUnavailable`: a 503 problem with ``Retry-After``, never a revoked token
accepted. Best-effort writes whose loss harms nothing use :meth:`RedisGuard.call`
with a fallback.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from crm_chassis.errors import ServiceUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")


class RedisUnavailable(ServiceUnavailable):
    """Redis did not answer, so what it decides (revoked tokens, limits) is unknown."""


class RedisGuard:
    def __init__(
        self,
        client: Redis,
        *,
        retry_seconds: float,
        what: str = "token deny-list",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self._retry_seconds = retry_seconds
        self._what = what
        self._clock = clock
        self._down_since: float | None = None
        self._skip_until = 0.0
        self._last_error: str | None = None

    @property
    def available(self) -> bool:
        return self._down_since is None

    async def call(self, operation: Callable[[Redis], Awaitable[T]], fallback: T) -> T:
        """``operation(client)``, or ``fallback`` when Redis fails or is known to be down."""
        try:
            return await self.require(operation)
        except RedisUnavailable:
            return fallback

    async def require(self, operation: Callable[[Redis], Awaitable[T]]) -> T:
        """``operation(client)``; :class:`RedisUnavailable` (503, ``Retry-After``) when
        Redis fails or is known to be down."""
        if self._down_since is not None and self._clock() < self._skip_until:
            raise self._unavailable()
        try:
            result = await operation(self.client)
        except (RedisError, OSError, TimeoutError) as error:
            if _pool_busy(error):
                raise RedisUnavailable(
                    f"The {self._what} is busy; try again shortly.",
                    headers={"Retry-After": "1"},
                ) from None
            self._failed(error)
            raise self._unavailable() from None
        if self._down_since is not None:
            log.warning(
                "redis is back after %.1f s; the %s is checked again",
                self._clock() - self._down_since,
                self._what,
            )
            self._down_since = None
            self._last_error = None
        return result

    def _unavailable(self) -> RedisUnavailable:
        wait = max(1, math.ceil(self._skip_until - self._clock()))
        return RedisUnavailable(
            f"The {self._what} cannot be checked right now; try again shortly.",
            headers={"Retry-After": str(wait)},
        )

    def _failed(self, error: Exception) -> None:
        now = self._clock()
        self._skip_until = now + self._retry_seconds
        self._last_error = f"{type(error).__name__}: {error}"
        if self._down_since is None:
            self._down_since = now
            log.error(
                "redis unavailable (%s); failing closed: requests that need the %s "
                "get 503 until it answers again",
                self._last_error,
                self._what,
            )

    async def probe(self) -> None:
        """Ping now (used by readiness), updating the state either way."""
        await self.call(lambda client: client.ping(), fallback=False)

    def detail(self) -> dict[str, Any]:
        if self._down_since is None:
            return {"ok": True, "mode": "enforcing"}
        return {
            "ok": False,
            "mode": "fail-closed",
            "down_for_seconds": round(self._clock() - self._down_since, 1),
            "error": self._last_error,
        }

    async def close(self) -> None:
        await self.client.aclose()


def _pool_busy(error: Exception) -> bool:
    """A blocking pool's wait for a free connection timed out (redis-py raises
    ``ConnectionError`` from the wait's ``TimeoutError``): saturation here, not an
    unreachable Redis."""
    return isinstance(error, RedisConnectionError) and isinstance(error.__cause__, TimeoutError)
