"""Failed sign-ins counted per account and per caller address, in Redis.

The general anonymous rate limit counts requests; this counts guesses. An attempt
reserves one failure on both counters before the password is checked (so a burst of
parallel guesses cannot all pass a check made before any of them failed) and gives it
back only when the password was right. Accounts that do not exist
are counted like those that do, so the answers reveal nothing about which exist.
A counter over its limit refuses with 429 and ``Retry-After`` until its window ends.
When Redis is away a sign-in is refused with 503 and ``Retry-After`` (fails closed):
without the counters nothing would stop guessing, and a token issued then could not
be revoked later (:mod:`gateway.edge.denylist`).
"""

from __future__ import annotations

import hashlib
import math

from redis.asyncio import Redis

from crm_chassis.redis_guard import RedisGuard

_RESERVE = """
for i = 1, 2 do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[i]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then
      redis.call('PEXPIRE', KEYS[i], ARGV[3])
      ttl = tonumber(ARGV[3])
    end
    return ttl
  end
end
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[3])
  end
end
return 0
"""
_RELEASE = """
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then
    redis.call('DECR', KEYS[i])
  end
end
return 0
"""
KEY_PREFIX = "crm:gw:signin:"


def _keys(account: str, address: str) -> list[str]:
    digest = hashlib.sha256(account.encode()).hexdigest()  # no e-mail addresses in Redis
    return [f"{KEY_PREFIX}acct:{digest}", f"{KEY_PREFIX}addr:{address}"]


class SignInLimiter:
    def __init__(
        self,
        guard: RedisGuard,
        *,
        per_account: int,
        per_address: int,
        window_seconds: int,
    ) -> None:
        self._guard = guard
        self._limits = (per_account, per_address)
        self._window_ms = window_seconds * 1000
        self._reserve = guard.client.register_script(_RESERVE)
        self._release = guard.client.register_script(_RELEASE)

    async def reserve(self, account: str, address: str) -> int:
        """Count one failure in advance: 0 when the attempt may go on, else the seconds
        until the account or the address may try again."""

        async def run(_: Redis) -> int:
            result = await self._reserve(
                keys=_keys(account, address), args=[*self._limits, self._window_ms]
            )
            return int(result)

        wait_ms = await self._guard.require(run)
        return max(1, math.ceil(wait_ms / 1000)) if wait_ms > 0 else 0

    async def release(self, account: str, address: str) -> None:
        """The attempt succeeded: give its reservation back."""

        async def run(_: Redis) -> None:
            await self._release(keys=_keys(account, address), args=[])

        await self._guard.call(run, fallback=None)
