"""The people directory: any signed-in person learns a colleague's name and team from
their id, and nothing more of the account."""

from __future__ import annotations

import httpx
import pytest

from crm_chassis.testing import SigningKeys, auth_header
from crm_contracts.access import Role

from .conftest import admin_token

pytestmark = pytest.mark.integration


async def _create(
    client: httpx.AsyncClient, admin: str, email: str, name: str, role: str, team: str | None
) -> str:
    response = await client.post(
        "/api/v1/users",
        json={
            "email": email,
            "password": "a-long-password-1",
            "display_name": name,
            "roles": [role],
            "team": team,
        },
        headers=auth_header(admin),
    )
    assert response.status_code == 201, response.text
    user_id: str = response.json()["id"]
    return user_id


async def _rep_token(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "rep@crm.local",
            "password": "a-long-password-1",
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def test_a_rep_reads_colleagues_names_and_teams_by_id_and_nothing_else(
    gateway: httpx.AsyncClient,
) -> None:
    admin = await admin_token(gateway)
    rep = await _create(gateway, admin, "rep@crm.local", "Zhang Wei", "sales_rep", "north")
    agent = await _create(gateway, admin, "agent@crm.local", "", "support_agent", None)
    manager = await _create(gateway, admin, "boss@crm.local", "Li Na", "sales_manager", "north")
    token = await _rep_token(gateway)

    response = await gateway.get(
        "/api/v1/people",
        params={"ids": [agent, manager, "usr_unknown"]},
        headers=auth_header(token),
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 2
    assert body["items"] == [
        {"id": agent, "display_name": "agent", "team": None, "active": True},
        {"id": manager, "display_name": "Li Na", "team": "north", "active": True},
    ]
    team = await gateway.get("/api/v1/people", params={"team": "north"}, headers=auth_header(token))
    assert team.status_code == 200
    assert [person["id"] for person in team.json()["items"]] == [manager, rep]


async def test_a_deactivated_colleague_is_still_named_and_marked_inactive(
    gateway: httpx.AsyncClient,
) -> None:
    admin = await admin_token(gateway)
    await _create(gateway, admin, "rep@crm.local", "Zhang Wei", "sales_rep", "north")
    gone = await _create(gateway, admin, "gone@crm.local", "Wang Fang", "sales_rep", "north")
    record = await gateway.get(f"/api/v1/users/{gone}", headers=auth_header(admin))
    deactivated = await gateway.patch(
        f"/api/v1/users/{gone}",
        json={"active": False},
        headers={**auth_header(admin), "If-Match": record.headers["ETag"]},
    )
    assert deactivated.status_code == 200, deactivated.text
    token = await _rep_token(gateway)

    named = await gateway.get("/api/v1/people", params={"ids": gone}, headers=auth_header(token))
    active = await gateway.get(
        "/api/v1/people", params={"active": "true"}, headers=auth_header(token)
    )

    assert named.json()["items"] == [
        {"id": gone, "display_name": "Wang Fang", "team": "north", "active": False}
    ]
    assert gone not in {person["id"] for person in active.json()["items"]}


async def test_the_directory_needs_a_signed_in_person(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    anonymous = await gateway.get("/api/v1/people")
    system = await gateway.get(
        "/api/v1/people",
        headers=auth_header(signing_keys.token(Role.INTEGRATION, kind="client", subject="erp")),
    )
    too_many = await gateway.get(
        "/api/v1/people",
        params={"ids": [f"usr_{n}" for n in range(101)]},
        headers=auth_header(signing_keys.token(Role.SALES_REP)),
    )

    assert anonymous.status_code == 401
    assert system.status_code == 403
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "query.ids"
