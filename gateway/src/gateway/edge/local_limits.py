"""The rate limit of callers without a token while Redis is away: in this process only.

Requests with a token need Redis anyway (the deny-list fails closed), so only callers
without one reach this: sign-in attempts (refused with 503 themselves, as their
failure counters are in Redis), the public mail links, survey answers, the support
form and the inbound mail webhook. Those stay available through a Redis outage, each
address still limited to the same requests per window, counted per replica (so a
caller spread over N replicas gets at most N times the limit). At most ``max_keys``
buckets are kept, least recently used dropped first, so memory stays bounded
whatever the number of addresses.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from gateway.domain.ratelimit import RateDecision, RatePolicy


class LocalRateLimiter:
    def __init__(self, max_keys: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, policy: RatePolicy) -> RateDecision:
        """Take one request from ``policy``'s bucket (a token bucket, as in Redis)."""
        now = self._clock()
        capacity = float(policy.limit)
        rate = capacity / policy.window_seconds  # tokens per second
        tokens, at = self._buckets.pop(policy.key, (capacity, now))
        tokens = min(capacity, tokens + max(0.0, now - at) * rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        self._buckets[policy.key] = (tokens, now)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return RateDecision(
            allowed=allowed,
            limit=policy.limit,
            remaining=math.floor(tokens),
            reset_seconds=math.ceil((capacity - tokens) / rate),
            retry_after_seconds=1 if allowed else max(1, math.ceil((1 - tokens) / rate)),
        )
