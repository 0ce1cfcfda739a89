"""Every write through the gateway is audited; administrators can query the log."""

from __future__ import annotations

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role

from .conftest import admin_token

pytestmark = pytest.mark.integration


async def test_writes_are_audited_with_actor_route_and_outcome(
    gateway: httpx.AsyncClient, keys: SigningKeys
) -> None:
    rep = unique_name("rep")
    token = keys.token(Role.SALES_REP, subject=rep)
    await gateway.post("/api/v1/customers", json={"name": "Ann"}, headers=auth_header(token))
    await gateway.delete("/api/v1/customers/c-9", headers=auth_header(token))
    await gateway.get("/api/v1/customers", headers=auth_header(token))
    admin = auth_header(await admin_token(gateway))

    async def two_entries() -> bool:
        found = await gateway.get(f"/api/v1/audit-log?actor={rep}", headers=admin)
        return found.json()["total"] == 2

    await wait_until(two_entries, timeout=10, what="the audit entries")
    entries = (await gateway.get(f"/api/v1/audit-log?actor={rep}&sort=at", headers=admin)).json()

    created, refused = entries["items"]
    assert (created["method"], created["route"], created["service"]) == (
        "POST",
        "/api/v1/customers",
        "customer",
    )
    assert (created["status"], created["outcome"]) == (201, "success")
    assert (refused["status"], refused["outcome"]) == (403, "denied")
    assert refused["route"] == "/api/v1/customers/{customer_id}"
    assert created["roles"] == ["sales_rep"]
    assert created["request_id"]


async def test_only_auditors_read_the_audit_log(
    gateway: httpx.AsyncClient, keys: SigningKeys
) -> None:
    response = await gateway.get(
        "/api/v1/audit-log", headers=auth_header(keys.token(Role.SALES_MANAGER, team="north"))
    )

    assert response.status_code == 403
