"""Revoked access tokens, until they would have expired anyway.

A token is revoked by its ``jti`` (logout); requests are checked against the list
by :class:`gateway.edge.ratelimit.Admitter`, together with the rate limit, and by
the services that read it (:mod:`crm_chassis.revocation`, same keys). To revoke
everything a subject holds (deactivated user, changed roles, team or password) the
gateway remembers the ids of the access tokens it issued to each subject for one
token lifetime; and, to end a sign-in whose refresh token was stolen, those issued
under each refresh-token family.

Every call here needs Redis (:meth:`RedisGuard.require`): a token issued while its id
cannot be remembered could not be revoked later, and a logout or revocation that did
not reach Redis must not answer success, so both get 503 with ``Retry-After``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from crm_chassis import revocation
from crm_chassis.redis_guard import RedisGuard
from gateway.domain.tokens import IssuedToken, VerifiedToken

_ISSUED = "crm:gw:issued:"
_FAMILY = "crm:gw:family:"


def denied_key(token_id: str | None) -> str:
    """The Redis key marking ``token_id`` revoked ("" for a token without an id)."""
    return revocation.denied_key(token_id) if token_id else ""


class DenyList:
    def __init__(self, guard: RedisGuard, access_ttl: timedelta) -> None:
        self._guard = guard
        self._ttl = int(access_ttl.total_seconds()) + 1

    async def remember(self, subject: str, token: IssuedToken, family: str | None = None) -> None:
        """Note ``token`` as issued to ``subject`` (and under refresh-token ``family``)."""
        keys = [_ISSUED + subject] + ([_FAMILY + family] if family else [])

        async def add(client: Redis) -> None:
            async with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.sadd(key, token.jti)
                    pipe.expire(key, self._ttl)
                await pipe.execute()

        await self._guard.require(add)

    async def revoke_token(self, token: VerifiedToken) -> None:
        remaining = int((token.expires_at - datetime.now(UTC)).total_seconds()) + 1
        if remaining > 0 and token.jti:
            await self._guard.require(
                lambda client: client.set(denied_key(token.jti), "1", ex=remaining)
            )

    async def revoke_subject(self, subject: str) -> None:
        """Every access token issued to ``subject`` so far stops working."""
        await self._deny_all(_ISSUED + subject)

    async def revoke_family(self, family: str) -> None:
        """Every access token issued under refresh-token ``family`` stops working."""
        await self._deny_all(_FAMILY + family)

    async def _deny_all(self, issued_key: str) -> None:
        async def deny_all(client: Redis) -> None:
            issued = await client.smembers(issued_key)
            if not issued:
                return
            async with client.pipeline(transaction=False) as pipe:
                for jti in issued:
                    key = jti.decode() if isinstance(jti, bytes) else str(jti)
                    pipe.set(denied_key(key), "1", ex=self._ttl)
                pipe.delete(issued_key)
                await pipe.execute()

        await self._guard.require(deny_all)
