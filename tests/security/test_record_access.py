"""API1 broken object-level authorisation: a rep reaches only their own records, a manager
their team's, whatever id they ask for; the authorisation matrix down to the record."""

from __future__ import annotations

import pytest

from crm_contracts.access import Role
from crm_e2e.harness import Platform
from security.factories import create_customer, create_opportunity, person

pytestmark = pytest.mark.e2e


async def test_rep_cannot_read_or_change_another_reps_opportunity_by_id(
    secured_platform: Platform,
) -> None:
    _, alice = person(secured_platform, Role.SALES_REP, team="north")
    _, bob = person(secured_platform, Role.SALES_REP, team="north")
    async with alice, bob:
        deal = await create_opportunity(alice)
        url = f"/api/v1/opportunities/{deal['opportunity_id']}"

        read = await bob.get(url)
        patched = await bob.patch(url, json={"amount": "1.00"}, headers={"If-Match": '"1"'})
        staged = await bob.put(
            f"{url}/stage", json={"stage": "won"}, headers={"If-Match": f'"{deal["version"]}"'}
        )
        listed = await bob.get("/api/v1/opportunities", params={"limit": 200})

        assert read.status_code == 404
        assert patched.status_code in (403, 404)
        assert staged.status_code in (403, 404, 422), staged.text
        ids = {item["opportunity_id"] for item in listed.json()["items"]}
        assert deal["opportunity_id"] not in ids
        unchanged = await alice.get(url)
        assert unchanged.json()["amount"] == deal["amount"]


async def test_rep_cannot_read_another_reps_customer_or_its_timeline(
    secured_platform: Platform,
) -> None:
    _, alice = person(secured_platform, Role.SALES_REP, team="north")
    _, bob = person(secured_platform, Role.SALES_REP, team="north")
    async with alice, bob:
        customer = await create_customer(alice, phone="13800138000")
        url = f"/api/v1/customers/{customer['id']}"

        assert (await bob.get(url)).status_code == 404
        assert (await bob.get(f"{url}/timeline")).status_code == 404
        assert (await bob.get(f"{url}/contacts")).status_code == 404
        patched = await bob.patch(url, json={"name": "Hijacked"}, headers={"If-Match": '"1"'})
        assert patched.status_code in (403, 404)
        listed = await bob.get("/api/v1/customers", params={"phone": "13800138000"})
        assert all(item["id"] != customer["id"] for item in listed.json()["items"])


async def test_manager_sees_own_teams_opportunities_and_not_other_teams(
    secured_platform: Platform,
) -> None:
    _, rep = person(secured_platform, Role.SALES_REP, team="north")
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team="north")
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team="south")
    async with rep, north_manager, south_manager:
        deal = await create_opportunity(rep)
        url = f"/api/v1/opportunities/{deal['opportunity_id']}"

        assert (await north_manager.get(url)).status_code == 200
        assert (await south_manager.get(url)).status_code == 404


async def test_rep_customer_list_filtered_by_another_owner_is_empty(
    secured_platform: Platform,
) -> None:
    alice_id, alice = person(secured_platform, Role.SALES_REP, team="north")
    _, bob = person(secured_platform, Role.SALES_REP, team="north")
    async with alice, bob:
        await create_customer(alice)
        response = await bob.get("/api/v1/customers", params={"owner_id": alice_id})
        assert response.status_code in (200, 403, 422)
        if response.status_code == 200:
            assert response.json()["items"] == []


async def test_rep_opportunity_list_filtered_by_another_owner_shows_nothing_of_theirs(
    secured_platform: Platform,
) -> None:
    alice_id, alice = person(secured_platform, Role.SALES_REP, team="north")
    _, bob = person(secured_platform, Role.SALES_REP, team="north")
    async with alice, bob:
        await create_opportunity(alice)
        response = await bob.get(
            "/api/v1/opportunities", params={"owner_id": alice_id, "limit": 200}
        )
        assert response.status_code in (200, 403, 422)
        if response.status_code == 200:
            assert response.json()["items"] == []
