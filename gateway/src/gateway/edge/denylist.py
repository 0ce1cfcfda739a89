"""Revoked access tokens, until they would have expired anyway.

A token is revoked by its ``jti`` (logout); requests are checked against the list
by :class:`gateway.edge.ratelimit.Admitter`, together with the rate limit. To
revoke everything a subject holds (deactivated user, changed roles or password)
the gateway remembers the ids of the access tokens it issued to each subject for
one token lifetime.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from gateway.domain.tokens import IssuedToken, VerifiedToken
from gateway.edge.redis_guard import RedisGuard

_DENIED = "crm:gw:deny:"
_ISSUED = "crm:gw:issued:"


def denied_key(token_id: str | None) -> str:
    """The Redis key marking ``token_id`` revoked ("" for a token without an id)."""
    return _DENIED + token_id if token_id else ""


class DenyList:
    def __init__(self, guard: RedisGuard, access_ttl: timedelta) -> None:
        self._guard = guard
        self._ttl = int(access_ttl.total_seconds()) + 1

    async def remember(self, subject: str, token: IssuedToken) -> None:
        async def add(client: Redis) -> None:
            async with client.pipeline(transaction=False) as pipe:
                pipe.sadd(_ISSUED + subject, token.jti)
                pipe.expire(_ISSUED + subject, self._ttl)
                await pipe.execute()

        await self._guard.call(add, fallback=None)

    async def revoke_token(self, token: VerifiedToken) -> None:
        remaining = int((token.expires_at - datetime.now(UTC)).total_seconds()) + 1
        if remaining > 0 and token.jti:
            await self._guard.call(
                lambda client: client.set(_DENIED + token.jti, "1", ex=remaining), fallback=None
            )

    async def revoke_subject(self, subject: str) -> None:
        """Every access token issued to ``subject`` so far stops working."""

        async def deny_all(client: Redis) -> None:
            issued = await client.smembers(_ISSUED + subject)
            if not issued:
                return
            async with client.pipeline(transaction=False) as pipe:
                for jti in issued:
                    key = jti.decode() if isinstance(jti, bytes) else str(jti)
                    pipe.set(_DENIED + key, "1", ex=self._ttl)
                pipe.delete(_ISSUED + subject)
                await pipe.execute()

        await self._guard.call(deny_all, fallback=None)
