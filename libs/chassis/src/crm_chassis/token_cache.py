"""Tokens already verified, so that a caller's repeated requests skip the signature check.

Checking an Ed25519 signature is the largest single cost of a small request, and a
person or a system sends many requests with one token. Entries are kept until the
token expires (bounded, least recently used dropped first) and are keyed by the whole
token text: another token, even with the same claims, is verified afresh. Only
successful verifications are kept; revocation is not decided here.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class VerifiedTokenCache(Generic[T]):
    def __init__(self, max_entries: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self._entries: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    def get(self, token: str) -> T | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        expires_at, verified = entry
        if self._clock() >= expires_at:  # expired now: verify afresh, to fail as expired
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return verified

    def put(self, token: str, verified: T, *, expires_at: float) -> None:
        """Remember ``verified`` for ``token`` until ``expires_at`` (a Unix time)."""
        self._entries[token] = (expires_at, verified)
        self._entries.move_to_end(token)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
