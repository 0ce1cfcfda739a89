"""API2 broken authentication: a revoked token stops working everywhere (issue 18, item 3).

At every route the gateway serves (the operations' ``/admin/...`` as much as
``/api/v1``), at a service called directly, after logout, after a change of the
person's roles or team, and for every access token of a sign-in whose refresh token
was replayed.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from crm_e2e.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Platform

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-password-for-tests"


async def _sign_in(platform: Platform, email: str, password: str) -> dict[str, str]:
    async with platform.client() as client:
        response = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": email, "password": password},
        )
    assert response.status_code == 200, response.text
    grant: dict[str, str] = response.json()
    return grant


async def _new_user(platform: Platform, roles: list[str], team: str | None) -> dict[str, str]:
    email = f"person-{uuid.uuid4().hex[:8]}@example.com"
    async with platform.admin() as admin:
        body = {"email": email, "password": PASSWORD, "roles": roles, "team": team}
        created = await admin.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    return {"id": created.json()["id"], "email": email, "etag": created.headers["ETag"]}


async def _status(base_url: str, path: str, token: str) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    return response.status_code


async def test_after_logout_the_operations_routes_refuse_the_token_too(
    secured_platform: Platform,
) -> None:
    token = (await _sign_in(secured_platform, ADMIN_EMAIL, ADMIN_PASSWORD))["access_token"]
    gateway = secured_platform.gateway_url
    assert await _status(gateway, "/admin/dead-letters", token) == 200

    async with secured_platform.client(token) as client:
        assert (await client.post("/api/v1/auth/logout")).status_code == 204

    assert await _status(gateway, "/admin/dead-letters", token) == 401
    assert await _status(gateway, "/api/v1/auth/me", token) == 401


async def test_operations_routes_are_rate_limited_and_the_probes_stay_open(
    secured_platform: Platform,
) -> None:
    async with secured_platform.admin() as admin:
        limited = await admin.get("/admin/dead-letters")
        probe = await admin.get("/healthz")
    assert limited.status_code == 200
    assert "RateLimit-Limit" in limited.headers
    assert probe.status_code == 200
    assert "RateLimit-Limit" not in probe.headers


async def test_a_service_called_directly_refuses_a_token_revoked_at_logout(
    secured_platform: Platform,
) -> None:
    token = (await _sign_in(secured_platform, ADMIN_EMAIL, ADMIN_PASSWORD))["access_token"]
    customer = secured_platform.service_urls["customer"]
    assert await _status(customer, "/api/v1/customers", token) == 200

    async with secured_platform.client(token) as client:
        assert (await client.post("/api/v1/auth/logout")).status_code == 204

    assert await _status(customer, "/api/v1/customers", token) == 401
    assert await _status(customer, "/admin/dead-letters", token) == 401


@pytest.mark.parametrize(
    "change", [{"roles": ["sales_rep", "support_agent"]}, {"team": "south"}], ids=["roles", "team"]
)
async def test_changing_a_persons_roles_or_team_revokes_their_tokens(
    secured_platform: Platform, change: dict[str, object]
) -> None:
    person = await _new_user(secured_platform, ["sales_rep"], "north")
    token = (await _sign_in(secured_platform, person["email"], PASSWORD))["access_token"]
    customer = secured_platform.service_urls["customer"]
    assert await _status(secured_platform.gateway_url, "/api/v1/customers", token) == 200

    async with secured_platform.admin() as admin:
        changed = await admin.patch(
            f"/api/v1/users/{person['id']}", json=change, headers={"If-Match": person["etag"]}
        )
    assert changed.status_code == 200, changed.text

    assert await _status(secured_platform.gateway_url, "/api/v1/customers", token) == 401
    assert await _status(customer, "/api/v1/customers", token) == 401


async def test_a_replayed_refresh_token_revokes_the_access_tokens_of_its_sign_in(
    secured_platform: Platform,
) -> None:
    person = await _new_user(secured_platform, ["sales_rep"], "north")
    first = await _sign_in(secured_platform, person["email"], PASSWORD)
    async with secured_platform.client() as client:
        refreshed = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        )
        assert refreshed.status_code == 200
        replayed = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        )
    assert replayed.status_code == 400
    customer = secured_platform.service_urls["customer"]
    for token in (first["access_token"], refreshed.json()["access_token"]):
        assert await _status(secured_platform.gateway_url, "/api/v1/customers", token) == 401
        assert await _status(customer, "/api/v1/customers", token) == 401
