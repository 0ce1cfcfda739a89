"""The gateway answers a token it verified before from its cache, never a forged one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_chassis.testing import SigningKeys
from crm_contracts.access import Role
from gateway.domain.tokens import InvalidToken, TokenIssuer

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


def test_a_forged_token_is_never_taken_from_the_cache() -> None:
    issuer = _issuer()
    genuine = issuer.issue_access(subject="u1", kind="user", roles=[Role.ADMIN], team=None)
    issuer.verify(genuine.token)
    header, payload, signature = genuine.token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"

    with pytest.raises(InvalidToken):
        issuer.verify(forged)
