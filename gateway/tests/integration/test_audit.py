"""Writes through the gateway are audited (refused anonymous ones only counted), kept for
the configured retention; administrators can query the log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role
from gateway.domain.audit import MAX_PATH_LENGTH
from gateway.edge.audit import ANONYMOUS_REFUSED_WRITES
from gateway.runtime import GatewayRuntime
from gateway.settings import Settings

from .conftest import admin_token, running_gateway

pytestmark = pytest.mark.integration


async def test_writes_are_audited_with_actor_route_and_outcome(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    rep = unique_name("rep")
    token = signing_keys.token(Role.SALES_REP, subject=rep)
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
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    response = await gateway.get(
        "/api/v1/audit-log",
        headers=auth_header(signing_keys.token(Role.SALES_MANAGER, team="north")),
    )

    assert response.status_code == 403


def _runtime(gateway: httpx.AsyncClient) -> GatewayRuntime:
    runtime: GatewayRuntime = gateway.app.state.gateway  # type: ignore[attr-defined]
    return runtime


def _refusals(service: str) -> float:
    return sum(
        sample.value
        for metric in ANONYMOUS_REFUSED_WRITES.collect()
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.labels["service"] == service
    )


async def test_a_thousand_anonymous_write_attempts_store_no_audit_entry(
    gateway_settings: Callable[..., Settings],
) -> None:
    settings = gateway_settings(rate_limits={"enabled": True, "anonymous": 200})
    forged = {"Authorization": "Bearer not-a-token"}
    async with running_gateway(settings) as gateway:
        statuses = Counter[int]()
        for n in range(1000):
            if n % 3 == 0:  # a forged token
                response = await gateway.post("/api/v1/customers", json={}, headers=forged)
            elif n % 3 == 1:  # no token, at a route that needs one
                response = await gateway.delete(f"/api/v1/customers/c-{n}")
            else:  # no such route, a long made-up path
                response = await gateway.post(f"/api/v1/{'x' * 2000}/{n}", json={})
            statuses[response.status_code] += 1
        runtime = _runtime(gateway)
        await runtime.audit.drain()
        stored = await runtime.db["audit_log"].count_documents({})

    assert set(statuses) == {401, 404, 429}, statuses
    assert stored == 0
    assert _refusals(settings.service_name) == 1000


async def test_an_anonymous_write_that_succeeded_and_a_revoked_token_are_audited(
    gateway: httpx.AsyncClient,
) -> None:
    token = await admin_token(gateway)
    me = (await gateway.get("/api/v1/auth/me", headers=auth_header(token))).json()
    logout = await gateway.post("/api/v1/auth/logout", headers=auth_header(token))
    assert logout.status_code == 204
    posted = await gateway.post("/api/v1/web-forms/contact", json={"name": "Ann"})
    revoked = await gateway.post("/api/v1/customers", json={}, headers=auth_header(token))
    assert (posted.status_code, revoked.status_code) == (202, 401)
    runtime = _runtime(gateway)
    await runtime.audit.drain()

    form = await runtime.db["audit_log"].find_one({"path": "/api/v1/web-forms/contact"})
    refused = await runtime.db["audit_log"].find_one({"path": "/api/v1/customers"})

    assert form is not None
    assert (form["actor"], form["status"]) == (None, 202)
    assert refused is not None
    assert refused["actor"] == me["subject"]
    assert (refused["status"], refused["outcome"]) == (401, "denied")


async def test_a_long_path_is_stored_cut(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    token = signing_keys.token(Role.ADMIN, subject=unique_name("admin"))
    response = await gateway.post(f"/api/v1/customers/{'c' * 3000}/x", headers=auth_header(token))
    runtime = _runtime(gateway)
    await runtime.audit.drain()

    entry = await runtime.db["audit_log"].find_one({"status": response.status_code})

    assert entry is not None
    assert len(entry["path"]) == MAX_PATH_LENGTH
    assert entry["path"].startswith("/api/v1/customers/ccc")
    assert entry["path"].endswith("...")


async def test_audit_entries_expire_after_the_configured_retention(
    gateway_settings: Callable[..., Settings],
) -> None:
    async with running_gateway(gateway_settings()) as gateway:
        first = await _runtime(gateway).db["audit_log"].index_information()
    async with running_gateway(gateway_settings(audit_retention_days=30)) as gateway:
        changed = await _runtime(gateway).db["audit_log"].index_information()

    assert first["audit_at"]["expireAfterSeconds"] == 365 * 86400
    assert changed["audit_at"]["expireAfterSeconds"] == 30 * 86400
    assert changed["audit_at"]["key"] == [("at", -1)]
