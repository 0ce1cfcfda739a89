"""Redis calls that fail open: when Redis is down the gateway keeps serving.

Every call is bounded by the client's short socket timeouts. After a failure the
guard skips Redis for ``retry_seconds`` (so a dead Redis costs nothing per
request), logs the transition once, and reports its state in ``/readyz``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

T = TypeVar("T")


class RedisGuard:
    def __init__(
        self,
        client: Redis,
        *,
        retry_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._down_since: float | None = None
        self._skip_until = 0.0
        self._last_error: str | None = None

    @property
    def available(self) -> bool:
        return self._down_since is None

    async def call(self, operation: Callable[[Redis], Awaitable[T]], fallback: T) -> T:
        """``operation(client)``, or ``fallback`` when Redis fails or is known to be down."""
        if self._down_since is not None and self._clock() < self._skip_until:
            return fallback
        try:
            result = await operation(self.client)
        except (RedisError, OSError, TimeoutError) as error:
            self._failed(error)
            return fallback
        if self._down_since is not None:
            log.warning(
                "redis is back after %.1f s; rate limits, idempotency and the token "
                "deny-list are enforced again",
                self._clock() - self._down_since,
            )
            self._down_since = None
            self._last_error = None
        return result

    def _failed(self, error: Exception) -> None:
        now = self._clock()
        self._skip_until = now + self._retry_seconds
        self._last_error = f"{type(error).__name__}: {error}"
        if self._down_since is None:
            self._down_since = now
            log.error(
                "redis unavailable (%s); failing open: requests are served without rate "
                "limits, idempotency replay or the token deny-list",
                self._last_error,
            )

    async def probe(self) -> None:
        """Ping now (used by readiness), updating the state either way."""
        await self.call(lambda client: client.ping(), fallback=False)

    def detail(self) -> dict[str, Any]:
        if self._down_since is None:
            return {"ok": True, "mode": "enforcing"}
        return {
            "ok": False,
            "mode": "fail-open",
            "down_for_seconds": round(self._clock() - self._down_since, 1),
            "error": self._last_error,
        }
