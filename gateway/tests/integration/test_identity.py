"""Signing in, tokens, revocation and account administration."""

from __future__ import annotations

import base64

import httpx
import pytest

from crm_chassis.testing import auth_header

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_token

pytestmark = pytest.mark.integration


async def _create_user(
    client: httpx.AsyncClient, admin: str, email: str, roles: list[str], team: str | None = None
) -> dict[str, object]:
    response = await client.post(
        "/api/v1/users",
        json={"email": email, "password": "a-long-password-1", "roles": roles, "team": team},
        headers=auth_header(admin),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _password_grant(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": email, "password": password},
    )


async def test_first_admin_signs_in_and_sees_their_permissions(gateway: httpx.AsyncClient) -> None:
    token = await admin_token(gateway)

    me = await gateway.get("/api/v1/auth/me", headers=auth_header(token))

    assert me.status_code == 200
    assert me.json()["roles"] == ["admin"]
    assert "users:admin" in me.json()["permissions"]


async def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    gateway: httpx.AsyncClient,
) -> None:
    wrong_password = await _password_grant(gateway, ADMIN_EMAIL, "not-the-password")
    unknown_user = await _password_grant(gateway, "nobody@crm.local", ADMIN_PASSWORD)

    assert wrong_password.status_code == unknown_user.status_code == 400
    assert wrong_password.json()["detail"] == unknown_user.json()["detail"]
    assert wrong_password.headers["content-type"] == "application/problem+json"


async def test_new_user_gets_a_token_with_their_roles_and_team(gateway: httpx.AsyncClient) -> None:
    admin = await admin_token(gateway)
    await _create_user(gateway, admin, "manager@crm.local", ["sales_manager"], team="north")

    grant = await _password_grant(gateway, "manager@crm.local", "a-long-password-1")
    me = await gateway.get("/api/v1/auth/me", headers=auth_header(grant.json()["access_token"]))

    assert grant.json()["expires_in"] == 900
    assert me.json()["roles"] == ["sales_manager"]
    assert me.json()["team"] == "north"


async def test_duplicate_email_is_a_conflict(gateway: httpx.AsyncClient) -> None:
    admin = await admin_token(gateway)
    await _create_user(gateway, admin, "rep@crm.local", ["sales_rep"])

    again = await gateway.post(
        "/api/v1/users",
        json={"email": "REP@crm.local", "password": "a-long-password-2", "roles": ["sales_rep"]},
        headers=auth_header(admin),
    )

    assert again.status_code == 409


async def test_refresh_token_rotates_and_a_reused_one_revokes_the_family(
    gateway: httpx.AsyncClient,
) -> None:
    first = (await _password_grant(gateway, ADMIN_EMAIL, ADMIN_PASSWORD)).json()

    rotated = await gateway.post(
        "/api/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    replayed = await gateway.post(
        "/api/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    after_reuse = await gateway.post(
        "/api/v1/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": rotated.json()["refresh_token"]},
    )

    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != first["refresh_token"]
    assert replayed.status_code == 400
    assert after_reuse.status_code == 400


async def test_logout_revokes_the_access_token(gateway: httpx.AsyncClient) -> None:
    token = await admin_token(gateway)

    logout = await gateway.post("/api/v1/auth/logout", headers=auth_header(token))
    after = await gateway.get("/api/v1/auth/me", headers=auth_header(token))

    assert logout.status_code == 204
    assert after.status_code == 401


async def test_deactivating_a_user_revokes_their_tokens_at_once(gateway: httpx.AsyncClient) -> None:
    admin = await admin_token(gateway)
    user = await _create_user(gateway, admin, "leaver@crm.local", ["marketer"])
    their_token = (await _password_grant(gateway, "leaver@crm.local", "a-long-password-1")).json()
    etag = (await gateway.get(f"/api/v1/users/{user['id']}", headers=auth_header(admin))).headers[
        "etag"
    ]

    patched = await gateway.patch(
        f"/api/v1/users/{user['id']}",
        json={"active": False},
        headers={**auth_header(admin), "If-Match": etag},
    )
    me = await gateway.get("/api/v1/auth/me", headers=auth_header(their_token["access_token"]))
    again = await _password_grant(gateway, "leaver@crm.local", "a-long-password-1")

    assert patched.status_code == 200
    assert me.status_code == 401
    assert again.status_code == 400


async def test_user_update_needs_if_match_and_refuses_a_stale_one(
    gateway: httpx.AsyncClient,
) -> None:
    admin = await admin_token(gateway)
    user = await _create_user(gateway, admin, "agent@crm.local", ["support_agent"])

    without = await gateway.patch(
        f"/api/v1/users/{user['id']}", json={"display_name": "A"}, headers=auth_header(admin)
    )
    stale = await gateway.patch(
        f"/api/v1/users/{user['id']}",
        json={"display_name": "A"},
        headers={**auth_header(admin), "If-Match": '"99"'},
    )

    assert without.status_code == 428
    assert stale.status_code == 412


async def test_integration_client_gets_a_token_with_client_credentials(
    gateway: httpx.AsyncClient,
) -> None:
    admin = await admin_token(gateway)
    created = await gateway.post(
        "/api/v1/integration-clients",
        json={"name": "ERP", "scopes": ["customers:read"]},
        headers=auth_header(admin),
    )
    client_id, secret = created.json()["client_id"], created.json()["client_secret"]
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()

    grant = await gateway.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    token = grant.json()["access_token"]
    me = await gateway.get("/api/v1/auth/me", headers=auth_header(token))
    narrowed = await gateway.get("/api/v1/leads", headers=auth_header(token))
    within = await gateway.get("/api/v1/customers", headers=auth_header(token))

    assert created.status_code == 201
    assert grant.status_code == 200
    assert "refresh_token" not in grant.json()
    assert me.json()["kind"] == "client"
    assert narrowed.status_code == 403
    assert within.status_code == 200


async def test_wrong_client_secret_is_unauthorised(gateway: httpx.AsyncClient) -> None:
    grant = await gateway.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": "cli_x", "client_secret": "nope"},
    )

    assert grant.status_code == 401
    assert grant.json()["error"] == "invalid_client"
