"""Revoked access tokens, as the gateway lists them in Redis, checked by every service.

The gateway marks a token revoked (logout, changed roles or team, a deactivated
account, a reused refresh token) by its ``jti`` under :data:`DENIED_KEY_PREFIX`, for
the rest of the token's life. A service configured with ``CRM_REVOCATION_REDIS_URL``
reads the same keys, so a revoked token is refused by the service itself too, not
only at the gateway. Without it, a revoked token keeps working against a service
called directly (inside the cluster: the NetworkPolicy admits only the gateway) until
it expires, at most ``CRM_ACCESS_TOKEN_MINUTES`` (15) after it was issued.

Like the gateway, this fails open when Redis does not answer (the token's signature
and expiry are still checked), and then leaves Redis alone for ``retry_seconds``.
"""

from __future__ import annotations

import logging
import time

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

DENIED_KEY_PREFIX = "crm:gw:deny:"


def denied_key(token_id: str) -> str:
    """The Redis key that marks the token with id ``token_id`` revoked."""
    return DENIED_KEY_PREFIX + token_id


class RevocationList:
    def __init__(self, client: Redis, *, retry_seconds: float = 2.0) -> None:
        self._client = client
        self._retry_seconds = retry_seconds
        self._skip_until = 0.0
        self._down = False

    async def is_revoked(self, token_id: str) -> bool:
        if not token_id or time.monotonic() < self._skip_until:
            return False
        try:
            revoked = bool(await self._client.exists(denied_key(token_id)))
        except (RedisError, OSError, TimeoutError) as error:
            self._skip_until = time.monotonic() + self._retry_seconds
            if not self._down:
                self._down = True
                log.error("token deny-list unavailable (%s); failing open", error)
            return False
        if self._down:
            self._down = False
            log.warning("token deny-list reachable again; revoked tokens are refused")
        return revoked

    async def close(self) -> None:
        await self._client.aclose()


def revocation_list(url: str, *, timeout_seconds: float = 0.25) -> RevocationList:
    """A deny-list reader on its own small connection pool (create it in the lifespan);
    a request waits at most ``timeout_seconds`` for a connection, then fails open."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=32,
        timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
    )
    return RevocationList(Redis.from_pool(pool))
