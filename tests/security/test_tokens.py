"""API2 broken authentication: only tokens signed by the gateway's key, unexpired, for this
audience, with a real algorithm, are accepted, by the gateway and by each service alike."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import httpx
import pytest

from crm_chassis.testing import SigningKeys
from crm_contracts.access import Role
from crm_e2e.harness import Platform

pytestmark = pytest.mark.e2e


def unsigned_token(role: Role) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"sub": "mallory", "roles": [role.value], "iss": "crm-gateway", "aud": "crm",
              "exp": 4102444800, "kind": "user"}  # fmt: skip
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def forged_tokens(platform: Platform) -> dict[str, str]:
    return {
        "wrong key": SigningKeys.generate().token(Role.ADMIN, subject="mallory"),
        "alg none": unsigned_token(Role.ADMIN),
        "expired": platform.keys.token(Role.ADMIN, ttl=timedelta(seconds=-60)),
        "wrong audience": platform.keys.token(Role.ADMIN, audience="other-system"),
        "wrong issuer": platform.keys.token(Role.ADMIN, issuer="someone-else"),
        "garbage": "not.a.jwt",
    }


@pytest.mark.parametrize(
    "kind", ["wrong key", "alg none", "expired", "wrong audience", "wrong issuer", "garbage"]
)
async def test_forged_token_is_refused_by_gateway_and_by_the_service_directly(
    secured_platform: Platform, kind: str
) -> None:
    token = forged_tokens(secured_platform)[kind]
    headers = {"Authorization": f"Bearer {token}"}
    targets = [secured_platform.gateway_url, secured_platform.service_urls["customer"]]
    async with httpx.AsyncClient(timeout=10) as client:
        for base in targets:
            response = await client.get(f"{base}/api/v1/customers", headers=headers)
            assert response.status_code == 401, (base, response.status_code, response.text)
            assert "items" not in response.text


async def test_missing_token_is_refused_with_401_problem(secured_platform: Platform) -> None:
    async with secured_platform.client() as client:
        response = await client.get("/api/v1/opportunities")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_identity_headers_from_the_client_grant_nothing(secured_platform: Platform) -> None:
    """A caller cannot claim roles through headers an internal hop might trust."""
    spoofed = {
        "X-User-Id": "admin",
        "X-Roles": "admin",
        "X-Principal": '{"subject": "admin", "roles": ["admin"]}',
        "X-Forwarded-User": "admin",
    }
    async with secured_platform.client() as client:
        response = await client.get("/api/v1/users", headers=spoofed)
    assert response.status_code == 401
