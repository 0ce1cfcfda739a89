"""Revoked access tokens, as the gateway lists them in Redis, checked by every service.

The gateway marks a token revoked (logout, changed roles or team, a deactivated
account, a reused refresh token) by its ``jti`` under :data:`DENIED_KEY_PREFIX`, for
the rest of the token's life. A service configured with ``CRM_REVOCATION_REDIS_URL``
reads the same keys, so a revoked token is refused by the service itself too, not
only at the gateway. Without it, a revoked token keeps working against a service
called directly (inside the cluster: the NetworkPolicy admits only the gateway) until
it expires, at most ``CRM_ACCESS_TOKEN_MINUTES`` (15) after it was issued.

Like the gateway, this fails closed: when Redis does not answer, a request with a
token gets 503 with ``Retry-After`` (:class:`crm_chassis.redis_guard.RedisUnavailable`)
rather than a possibly revoked token being accepted; Redis is then left alone for
``retry_seconds``.
"""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis

from crm_chassis.redis_guard import RedisGuard

DENIED_KEY_PREFIX = "crm:gw:deny:"


def denied_key(token_id: str) -> str:
    """The Redis key that marks the token with id ``token_id`` revoked."""
    return DENIED_KEY_PREFIX + token_id


class RevocationList:
    def __init__(self, client: Redis, *, retry_seconds: float = 2.0) -> None:
        self._guard = RedisGuard(client, retry_seconds=retry_seconds)

    async def is_revoked(self, token_id: str) -> bool:
        """Whether the gateway revoked ``token_id``; raises ``RedisUnavailable`` (503)
        when that cannot be known."""
        if not token_id:
            return False
        key = denied_key(token_id)
        return bool(await self._guard.require(lambda client: client.exists(key)))

    async def close(self) -> None:
        await self._guard.close()


def revocation_list(url: str, *, timeout_seconds: float = 0.25) -> RevocationList:
    """A deny-list reader on its own small connection pool (create it in the lifespan);
    a request waits at most ``timeout_seconds`` for a connection, then gets 503."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=32,
        timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
    )
    return RevocationList(Redis.from_pool(pool))
