"""Every route x every role, through the gateway: the table is built from the
merged OpenAPI document (the gateway's own routes and the upstream services'),
so a new route is covered the day it appears.

allowed -> the route's own answer (2xx upstream; for the gateway's own routes,
anything but 401/403, e.g. 404 for a made-up id or 422 for an empty body);
forbidden -> 403; no token, expired or tampered token -> 401.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header
from crm_contracts.access import Role, permissions_of

pytestmark = pytest.mark.integration

UPSTREAM_BODIES = {"POST": {"name": "x"}, "PATCH": {"stage": "won"}, "PUT": {"name": "x"}}


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    service: str
    requirements: tuple[frozenset[str], ...]

    @property
    def path(self) -> str:
        return re.sub(r"\{[^}]+\}", "made-up-id", self.template)

    def allows(self, role: Role) -> bool:
        granted = {p.value for p in permissions_of([role])}
        return not self.requirements or any(r <= granted for r in self.requirements)


def cases_from(document: dict[str, object]) -> list[Case]:
    cases = []
    for template, item in document["paths"].items():  # type: ignore[attr-defined]
        for method, operation in item.items():
            requirements = tuple(
                frozenset(scope for scopes in requirement.values() for scope in scopes)
                for requirement in operation.get("security", [])
            )
            cases.append(Case(method.upper(), template, operation["x-crm-service"], requirements))
    return cases


async def _call(client: httpx.AsyncClient, case: Case, token: str | None) -> httpx.Response:
    headers = auth_header(token) if token else {}
    body = UPSTREAM_BODIES.get(case.method) if case.service != "gateway" else None
    if case.method in ("POST", "PUT", "PATCH"):
        return await client.request(case.method, case.path, json=body or {}, headers=headers)
    return await client.request(case.method, case.path, headers=headers)


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    flipped = "A" if signature[0] != "A" else "B"
    return f"{header}.{payload}.{flipped}{signature[1:]}"


async def test_every_route_answers_each_role_as_the_access_contract_says(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    document = (await gateway.get("/openapi.json")).json()
    cases = [c for c in cases_from(document) if c.template != "/api/v1/auth/token"]
    services = {case.service for case in cases}
    assert {"gateway", "customer", "sales"} <= services
    mismatches: list[str] = []

    for case in cases:
        for role in Role:
            token = signing_keys.token(role, subject=f"matrix-{role.value}", team="north")
            status = (await _call(gateway, case, token)).status_code
            if case.allows(role):
                upstream_ok = case.service == "gateway" or 200 <= status < 300
                if status in (401, 403) or not upstream_ok:
                    mismatches.append(f"{role} {case.method} {case.template}: {status}, allowed")
            elif status != 403:
                mismatches.append(f"{role} {case.method} {case.template}: {status}, want 403")
        if not case.requirements:
            continue
        expired = signing_keys.token(Role.ADMIN, ttl=timedelta(seconds=-60))
        foreign = SigningKeys.generate().token(Role.ADMIN)
        for label, token in (
            ("no token", None),
            ("expired", expired),
            ("tampered", _tampered(signing_keys.token(Role.ADMIN))),
            ("foreign key", foreign),
        ):
            status = (await _call(gateway, case, token)).status_code
            if status != 401:
                mismatches.append(f"{label} {case.method} {case.template}: {status}, want 401")

    assert not mismatches, "\n".join(mismatches)


async def test_public_upstream_route_needs_no_token(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/api/v1/web-forms/contact", json={"name": "Ann"})

    assert response.status_code == 202
