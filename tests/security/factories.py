"""Tokens and records for the security tests."""

from __future__ import annotations

import uuid

import httpx

from crm_contracts.access import Role
from crm_e2e.harness import Platform
from crm_e2e.journeys import post_for_customer


def person(
    platform: Platform, role: Role, team: str | None = None
) -> tuple[str, httpx.AsyncClient]:
    """A caller of their own (fresh subject) and a gateway client carrying their token."""
    subject = f"{role.value}-{uuid.uuid4().hex[:8]}"
    return subject, platform.client(platform.keys.token(role, subject=subject, team=team))


async def create_customer(client: httpx.AsyncClient, **fields: object) -> dict[str, object]:
    response = await client.post(
        "/api/v1/customers", json={"name": f"Customer {uuid.uuid4().hex[:6]}", **fields}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def create_opportunity(
    client: httpx.AsyncClient, customer_id: str | None = None, **fields: object
) -> dict[str, object]:
    """A deal of the caller's, on ``customer_id`` or on a new customer of theirs."""
    if customer_id is None:
        customer_id = str((await create_customer(client))["id"])
    response = await post_for_customer(
        client,
        "/api/v1/opportunities",
        {"name": "Deal", "customer_id": customer_id, "amount": "100.00", **fields},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body
