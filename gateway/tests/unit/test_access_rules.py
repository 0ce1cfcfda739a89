"""Tokens, rate-limit policies, account rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from crm_chassis.auth import Principal
from crm_chassis.testing import SigningKeys
from crm_contracts.access import Permission, Role, granted_permissions
from gateway.domain.clients import ClientCreate
from gateway.domain.ratelimit import rate_policy
from gateway.domain.tokens import InvalidToken, TokenIssuer
from gateway.domain.users import UserCreate, UserPatch, revokes_sessions

KEYS = SigningKeys.generate()


def _issuer(ttl: timedelta = timedelta(minutes=15)) -> TokenIssuer:
    return TokenIssuer(
        KEYS.private_pem, KEYS.public_pem, issuer="crm-gateway", audience="crm", access_ttl=ttl
    )


def test_issued_token_carries_the_contract_claims_and_verifies() -> None:
    issued = _issuer().issue_access(subject="u1", kind="user", roles=[Role.SALES_REP], team="north")

    verified = _issuer().verify(issued.token)

    assert verified.principal.subject == "u1"
    assert verified.principal.roles == {Role.SALES_REP}
    assert verified.principal.team == "north"
    assert verified.jti == issued.jti
    assert issued.expires_in == 900


def test_expired_or_foreign_tokens_are_invalid() -> None:
    expired = _issuer(timedelta(seconds=-5)).issue_access(
        subject="u1", kind="user", roles=[], team=None
    )
    foreign = SigningKeys.generate().token(Role.ADMIN)

    with pytest.raises(InvalidToken):
        _issuer().verify(expired.token)
    with pytest.raises(InvalidToken):
        _issuer().verify(foreign)


def test_client_scopes_narrow_the_roles_permissions() -> None:
    granted = granted_permissions(
        frozenset({Role.INTEGRATION}), "client", frozenset({"leads:read"})
    )

    assert granted == {"leads:read"}


def test_client_scopes_cannot_exceed_its_roles() -> None:
    with pytest.raises(ValidationError):
        ClientCreate(name="erp", roles=[Role.INTEGRATION], scopes=[Permission.USERS_ADMIN])


def test_rate_policy_per_client_then_most_generous_role_then_default() -> None:
    limits = {"anonymous": 10, "default": 100, "per_role": {"analyst": 300, "marketer": 200},
              "per_client": {"cli_1": 50}, "window_seconds": 60}  # fmt: skip
    client = Principal(subject="cli_1", kind="client", roles=frozenset({Role.INTEGRATION}))
    person = Principal(subject="u1", roles=frozenset({Role.ANALYST, Role.MARKETER}))
    plain = Principal(subject="u2", roles=frozenset({Role.SALES_REP}))

    assert rate_policy(client, "1.2.3.4", **limits).limit == 50  # type: ignore[arg-type]
    assert rate_policy(person, "1.2.3.4", **limits).limit == 300  # type: ignore[arg-type]
    assert rate_policy(plain, "1.2.3.4", **limits).limit == 100  # type: ignore[arg-type]
    anonymous = rate_policy(None, "1.2.3.4", **limits)  # type: ignore[arg-type]
    assert (anonymous.key, anonymous.limit) == ("anon:1.2.3.4", 10)


def test_a_sales_manager_needs_a_team_and_passwords_a_minimum_length() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="m@crm.local", password="long-enough-pw", roles=[Role.SALES_MANAGER])
    with pytest.raises(ValidationError):
        UserCreate(email="r@crm.local", password="short", roles=[Role.SALES_REP])
    created = UserCreate(email=" Rep@CRM.local ", password="long-enough-pw", roles=[Role.SALES_REP])
    assert created.email == "rep@crm.local"


def test_changes_that_revoke_sessions() -> None:
    assert revokes_sessions(UserPatch(active=False))
    assert revokes_sessions(UserPatch(roles=[Role.ANALYST]))
    assert not revokes_sessions(UserPatch(display_name="x"))
