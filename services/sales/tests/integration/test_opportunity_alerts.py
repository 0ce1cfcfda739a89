"""Opportunities, leads and alerts (issue #17): a stalled opportunity names its team and
itself and says since when it is stalled, until it moves; lists filter on it; an assigned
lead names the prospect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from crm_contracts.access import Role
from crm_contracts.events import sales
from sales.components import components
from sales.operations.opportunities import alert_stalled
from sales.settings import Settings

pytestmark = pytest.mark.integration


async def add_reps(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for rep_id, team in (("rep-a", "north-china"), ("rep-b", "north-china"), ("rep-e", "east")):
        response = await client.put(
            f"/api/v1/lead-routing-reps/{rep_id}",
            json={"name": rep_id, "team": team, "manager_id": f"mgr-{team}"},
            headers=admin,
        )
        assert response.status_code == 200, response.text


def ids(response: httpx.Response, key: str) -> set[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {item[key] for item in body["items"]}


async def test_a_stalled_opportunity_names_its_team_and_itself(
    app: FastAPI,
    settings: Settings,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    await add_reps(client, admin)
    created = await client.post(
        "/api/v1/opportunities",
        json={"name": "Quiet deal", "customer_id": "cust-1", "owner_id": "rep-a"},
        headers=admin,
    )
    opportunity_id = created.json()["opportunity_id"]
    parts = components(app.state.runtime)
    await parts.opportunities.collection.update_one(
        {"_id": opportunity_id},
        {"$set": {"stage_changed_at": datetime.now(UTC) - timedelta(days=settings.stall_days + 1)}},
    )
    assert await alert_stalled(parts, settings.stall_days, datetime.now(UTC)) == 1

    await eventually(lambda: recorder.of_type(sales.OpportunityStalled.TYPE))
    [stalled] = recorder.of_type(sales.OpportunityStalled.TYPE)
    assert stalled.data["owner_id"] == "rep-a"
    assert stalled.data["manager_id"] == "mgr-north-china"
    assert stalled.data["team"] == "north-china"
    assert stalled.data["name"] == "Quiet deal"


async def test_a_stalled_opportunity_says_since_when_until_it_moves(
    app: FastAPI,
    settings: Settings,
    client: httpx.AsyncClient,
    admin: dict[str, str],
) -> None:
    made = []
    for name in ("Quiet", "Busy"):
        created = await client.post(
            "/api/v1/opportunities",
            json={"name": name, "customer_id": "c-1", "contact_id": "ct-1"},
            headers=admin,
        )
        assert created.status_code == 201, created.text
        assert created.json()["stalled_since"] is None
        made.append(created.json()["opportunity_id"])
    quiet, busy = made
    parts = components(app.state.runtime)
    idle_since = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    await parts.opportunities.collection.update_one(
        {"_id": quiet}, {"$set": {"stage_changed_at": idle_since}}
    )
    assert await alert_stalled(parts, settings.stall_days, datetime.now(UTC)) == 1

    read = await client.get(f"/api/v1/opportunities/{quiet}", headers=admin)
    assert datetime.fromisoformat(read.json()["stalled_since"]) == idle_since + timedelta(
        days=settings.stall_days
    )
    url = "/api/v1/opportunities"
    assert ids(
        await client.get(url, params={"stalled": "true"}, headers=admin), "opportunity_id"
    ) == {quiet}
    assert ids(
        await client.get(url, params={"stalled": "false"}, headers=admin), "opportunity_id"
    ) == {busy}

    moved = await client.put(
        f"/api/v1/opportunities/{quiet}/stage",
        json={"stage": "qualified"},
        headers={**admin, "If-Match": read.headers["ETag"]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["stalled_since"] is None
    assert (
        ids(await client.get(url, params={"stalled": "true"}, headers=admin), "opportunity_id")
        == set()
    )


async def test_the_stalled_filter_keeps_a_rep_to_their_own_and_refuses_a_non_boolean(
    app: FastAPI,
    settings: Settings,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
) -> None:
    for owner in ("rep-a", "rep-b"):
        await client.put(
            f"/api/v1/lead-routing-reps/{owner}",
            json={"name": owner, "team": "north-china"},
            headers=admin,
        )
        created = await client.post(
            "/api/v1/opportunities",
            json={"name": owner, "customer_id": "c-1", "owner_id": owner},
            headers=admin,
        )
        assert created.status_code == 201, created.text
    parts = components(app.state.runtime)
    await parts.opportunities.collection.update_many(
        {}, {"$set": {"stage_changed_at": datetime.now(UTC) - timedelta(days=60)}}
    )
    assert await alert_stalled(parts, settings.stall_days, datetime.now(UTC)) == 2

    rep = as_role(Role.SALES_REP, subject="rep-a", team="north-china")
    listed = await client.get("/api/v1/opportunities", params={"stalled": "true"}, headers=rep)
    assert ids(listed, "owner_id") == {"rep-a"}

    refused = await client.get("/api/v1/opportunities", params={"stalled": "maybe"}, headers=rep)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["query.stalled"]


async def test_an_assigned_lead_names_the_prospect(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    north_china: dict[str, Any],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    created = await client.post(
        "/api/v1/leads",
        json={"name": "Han Meimei", "company": "Tianjin Ports", "region": "Tianjin"},
        headers=admin,
    )
    assert created.status_code == 201, created.text

    await eventually(lambda: recorder.of_type(sales.LeadAssigned.TYPE))
    [assigned] = recorder.of_type(sales.LeadAssigned.TYPE)
    assert assigned.data["owner_id"] in {"rep-bj-1", "rep-bj-2"}
    assert (assigned.data["name"], assigned.data["company"]) == ("Han Meimei", "Tianjin Ports")


async def test_the_stalled_filter_is_in_the_published_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/opportunities"]["get"]["parameters"]}
    assert parameters["stalled"]["schema"]["anyOf"][0]["type"] == "boolean"
    assert parameters["stalled"]["description"]


async def test_stalled_since_is_described_in_the_published_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    field = spec["components"]["schemas"]["OpportunityOut"]["properties"]["stalled_since"]
    assert field["description"].startswith("Since when it is stalled")
