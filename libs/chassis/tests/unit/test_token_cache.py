"""Verified tokens are remembered until they expire, and no more of them than the bound."""

from __future__ import annotations

from crm_chassis.token_cache import VerifiedTokenCache


def test_an_entry_is_answered_until_its_token_expires() -> None:
    now = [99.0]
    cache: VerifiedTokenCache[str] = VerifiedTokenCache(clock=lambda: now[0])
    cache.put("token", "verified", expires_at=100.0)

    assert cache.get("token") == "verified"
    now[0] = 100.0
    assert cache.get("token") is None


def test_the_cache_keeps_at_most_its_bound_dropping_the_least_recently_used() -> None:
    cache: VerifiedTokenCache[str] = VerifiedTokenCache(max_entries=2, clock=lambda: 0.0)
    cache.put("a", "A", expires_at=1.0)
    cache.put("b", "B", expires_at=1.0)
    assert cache.get("a") == "A"  # now b is the least recently used

    cache.put("c", "C", expires_at=1.0)

    assert cache.get("b") is None
    assert cache.get("a") == "A"
    assert cache.get("c") == "C"
