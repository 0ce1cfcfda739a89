"""Verified access tokens are remembered until they expire, and no longer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_chassis.testing import SigningKeys
from crm_contracts.access import Role
from gateway.domain.tokens import InvalidToken, TokenIssuer, VerifiedTokenCache

KEYS = SigningKeys.generate()


def _issuer(ttl: timedelta = timedelta(minutes=15)) -> TokenIssuer:
    return TokenIssuer(
        KEYS.private_pem, KEYS.public_pem, issuer="crm-gateway", audience="crm", access_ttl=ttl
    )


def test_a_token_verified_once_is_answered_from_the_cache() -> None:
    issuer = _issuer()
    token = issuer.issue_access(subject="u1", kind="user", roles=[Role.SALES_REP], team=None)

    first = issuer.verify(token.token)

    assert issuer.verify(token.token) is first


def test_a_cached_token_is_refused_once_it_has_expired() -> None:
    issuer = _issuer(timedelta(seconds=2))
    token = issuer.issue_access(subject="u1", kind="user", roles=[], team=None)
    verified = issuer.verify(token.token)
    now = [verified.expires_at.timestamp() - 1]
    cache = VerifiedTokenCache(clock=lambda: now[0])
    cache.put(token.token, verified)

    assert cache.get(token.token) is verified
    now[0] = verified.expires_at.timestamp()
    assert cache.get(token.token) is None


def test_a_forged_token_is_never_taken_from_the_cache() -> None:
    issuer = _issuer()
    genuine = issuer.issue_access(subject="u1", kind="user", roles=[Role.ADMIN], team=None)
    issuer.verify(genuine.token)
    header, payload, signature = genuine.token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"

    with pytest.raises(InvalidToken):
        issuer.verify(forged)


def test_the_cache_keeps_at_most_its_bound_dropping_the_least_recently_used() -> None:
    issuer = _issuer()
    tokens = [
        issuer.issue_access(subject=f"u{n}", kind="user", roles=[], team=None).token
        for n in range(3)
    ]
    cache = VerifiedTokenCache(max_entries=2)
    for token in tokens:
        cache.put(token, issuer.verify(token))

    assert cache.get(tokens[0]) is None
    assert cache.get(tokens[1]) is not None
    assert cache.get(tokens[2]) is not None
