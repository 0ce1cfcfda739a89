"""Admission of a request in one Redis round trip: deny-list check and rate limit.

Token-bucket rate limits are kept in Redis, shared by every gateway replica. One
Lua script first checks whether the caller's token is revoked, then refills and
takes a token atomically, using Redis' own clock so replicas with skewed clocks
agree. A bucket holds ``limit`` tokens and refills ``limit`` per window. The requests
admitted in the same event-loop turn share one pipelined round trip
(:mod:`gateway.edge.script_batches`), so a burst does not queue for the pool.

When Redis does not answer, a request with a token is refused with 503 and
``Retry-After`` (:class:`crm_chassis.redis_guard.RedisUnavailable`): whether the token
was revoked is unknown, and accepting it could let a signed-out or stolen token in.
A request without one is limited by :class:`LocalRateLimiter` in this process instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crm_chassis.redis_guard import RedisGuard, RedisUnavailable
from gateway.domain.ratelimit import RateDecision, RatePolicy
from gateway.domain.tokens import VerifiedToken
from gateway.edge.denylist import denied_key
from gateway.edge.local_limits import LocalRateLimiter
from gateway.edge.script_batches import ScriptBatches

_ADMIT_SCRIPT = """
if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then
  return {-1, 0, 0, 0}
end
if ARGV[1] == '0' then
  return {1, 0, 0, 0}
end
local capacity = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil then
  tokens = capacity
  at = now_ms
end
local rate = capacity / window_ms
tokens = math.min(capacity, tokens + math.max(0, now_ms - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now_ms)
redis.call('PEXPIRE', KEYS[1], window_ms * 2)
local wait_ms = 0
if allowed == 0 then
  wait_ms = math.ceil((1 - tokens) / rate)
end
local full_ms = math.ceil((capacity - tokens) / rate)
return {allowed, math.floor(tokens), wait_ms, full_ms}
"""

KEY_PREFIX = "crm:gw:rl:"


@dataclass(frozen=True)
class Admission:
    """``revoked``: the token is on the deny-list; ``decision``: None when not limited
    (limits off)."""

    revoked: bool
    decision: RateDecision | None


class Admitter:
    def __init__(self, guard: RedisGuard, fallback: LocalRateLimiter) -> None:
        self._fallback = fallback
        self._script = ScriptBatches(guard, _ADMIT_SCRIPT)

    async def admit(self, policy: RatePolicy | None, token_id: str | None) -> Admission:
        """Check ``token_id`` against the deny-list and take one request from the
        bucket of ``policy`` (if given). ``token_id`` is None without a token ("" for
        a token without an id). Raises ``RedisUnavailable`` for a token when Redis does
        not answer; without a token, the local limiter decides then."""
        if policy is None and token_id is None:
            return Admission(revoked=False, decision=None)

        async def run() -> list[int]:
            result = await self._script.run(
                keys=[KEY_PREFIX + (policy.key if policy else ""), denied_key(token_id)],
                args=[policy.limit, policy.window_seconds * 1000] if policy else [0, 0],
            )
            return [int(value) for value in result]

        if token_id is not None:
            result = await run()
        else:
            assert policy is not None
            try:
                result = await run()
            except RedisUnavailable:
                return Admission(revoked=False, decision=self._fallback.take(policy))
        allowed, remaining, wait_ms, full_ms = result
        if allowed == -1:
            return Admission(revoked=True, decision=None)
        if policy is None:
            return Admission(revoked=False, decision=None)
        return Admission(
            False,
            RateDecision(
                allowed=bool(allowed),
                limit=policy.limit,
                remaining=remaining,
                reset_seconds=math.ceil(full_ms / 1000),
                retry_after_seconds=max(1, math.ceil(wait_ms / 1000)),
            ),
        )

    async def revoked(self, token: VerifiedToken) -> bool:
        """Whether ``token`` is on the deny-list now (without taking from any bucket),
        for a long request that outlasts the check made when it arrived; raises
        ``RedisUnavailable`` when Redis does not answer."""
        return (await self.admit(None, token.jti)).revoked
