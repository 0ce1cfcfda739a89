"""API5 broken function-level authorisation: the permission matrix of every operation in the
merged OpenAPI, each role without the operation's permission refused with 403 at the gateway
and again by the service itself (defence in depth)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from crm_contracts.access import ROLE_PERMISSIONS, Permission, Role
from crm_e2e.harness import Platform

pytestmark = pytest.mark.e2e

METHODS = ("get", "post", "put", "patch", "delete")


def protected_operations(spec: dict[str, Any]) -> list[tuple[str, str, Permission]]:
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            scopes = [s for req in operation.get("security") or [] for v in req.values() for s in v]
            if scopes:
                operations.append((method, path, Permission(scopes[0])))
    return operations


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "probe-id", path)


async def test_every_protected_operation_refuses_every_role_without_its_permission(
    secured_platform: Platform, merged_openapi: dict[str, Any]
) -> None:
    operations = protected_operations(merged_openapi)
    assert len(operations) > 50
    wrong: list[str] = []
    async with httpx.AsyncClient(base_url=secured_platform.gateway_url, timeout=10) as client:
        for method, path, permission in operations:
            for role in Role:
                if permission in ROLE_PERMISSIONS[role]:
                    continue
                token = secured_platform.keys.token(role, subject=f"matrix-{uuid.uuid4().hex}")
                response = await client.request(
                    method.upper(),
                    concrete(path),
                    json={} if method in ("post", "put", "patch") else None,
                    headers={"Authorization": f"Bearer {token}"},
                )
                if response.status_code != 403:
                    wrong.append(f"{role.value} {method.upper()} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


async def test_services_refuse_a_missing_permission_even_when_called_directly(
    secured_platform: Platform,
) -> None:
    """The gateway is not the only guard: a token without the permission, sent straight
    to each service, is refused there too."""
    probes = {
        "customer": ("DELETE", "/api/v1/customers/probe-id", Role.SALES_REP),
        "sales": ("PUT", "/api/v1/lead-scoring", Role.SALES_REP),
        "marketing": ("POST", "/api/v1/campaigns", Role.SUPPORT_AGENT),
        "support": ("POST", "/api/v1/sla-policies", Role.SUPPORT_AGENT),
        "analytics": ("GET", "/api/v1/dashboards/main", Role.SALES_REP),
    }
    async with httpx.AsyncClient(timeout=10) as client:
        for service, (method, path, role) in probes.items():
            token = secured_platform.keys.token(role)
            response = await client.request(
                method,
                secured_platform.service_urls[service] + path,
                json={},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 403, (service, response.status_code)
