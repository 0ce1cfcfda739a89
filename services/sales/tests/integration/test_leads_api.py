"""Lead API rules: all-or-nothing import, If-Match, record-level access, rescoring."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from crm_contracts.access import Role

pytestmark = pytest.mark.integration


async def test_import_with_one_invalid_row_stores_nothing_and_names_the_row(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    rows = [{"name": f"P{n}", "email": f"p{n}@example.com"} for n in range(5)]
    rows[3] = {"email": "no-name@example.com"}
    refused = await client.post("/api/v1/leads/imports", json={"leads": rows}, headers=admin)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.leads.3.name"]
    assert (await client.get("/api/v1/leads", headers=admin)).json()["total"] == 0
    rows[3] = {"name": "P3"}
    imported = await client.post("/api/v1/leads/imports", json={"leads": rows}, headers=admin)
    assert imported.json()["imported"] == 5
    listed = await client.get("/api/v1/leads", params={"source_channel": "import"}, headers=admin)
    assert listed.json()["total"] == 5


async def test_updates_need_the_current_etag(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await client.post("/api/v1/leads", json={"name": "Zhang"}, headers=admin)
    url = f"/api/v1/leads/{created.json()['lead_id']}"
    assert (await client.patch(url, json={"company": "X"}, headers=admin)).status_code == 428
    ok = await client.patch(
        url, json={"company": "X"}, headers={**admin, "If-Match": created.headers["ETag"]}
    )
    assert ok.status_code == 200
    stale = await client.patch(
        url, json={"company": "Y"}, headers={**admin, "If-Match": created.headers["ETag"]}
    )
    assert stale.status_code == 412


async def test_a_create_answers_the_times_a_later_read_gives(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """The store keeps times to the millisecond; the create's answer must not show more."""
    created = await client.post("/api/v1/leads", json={"name": "Zhang"}, headers=admin)
    read = await client.get(f"/api/v1/leads/{created.json()['lead_id']}", headers=admin)
    for field in ("created_at", "updated_at"):
        assert created.json()[field] == read.json()[field]


async def test_a_rep_sees_only_their_own_leads(
    client: httpx.AsyncClient, admin: dict[str, str], as_role: Callable[..., dict[str, str]]
) -> None:
    await client.put(
        "/api/v1/lead-routing-reps/rep-1", json={"name": "One", "team": "t"}, headers=admin
    )
    created = await client.post("/api/v1/leads", json={"name": "Mine"}, headers=admin)
    lead_id = created.json()["lead_id"]
    assigned = await client.put(
        f"/api/v1/leads/{lead_id}/assignment", json={"owner_id": "rep-1"}, headers=admin
    )
    assert assigned.json()["owner_id"] == "rep-1"
    other = as_role(Role.SALES_REP, subject="rep-2")
    assert (await client.get(f"/api/v1/leads/{lead_id}", headers=other)).status_code == 404
    mine = as_role(Role.SALES_REP, subject="rep-1")
    assert (await client.get(f"/api/v1/leads/{lead_id}", headers=mine)).status_code == 200
    assert (await client.get("/api/v1/leads", headers=other)).json()["total"] == 0
    support = as_role(Role.SUPPORT_AGENT)
    assert (await client.get("/api/v1/leads", headers=support)).status_code == 403


async def test_changing_the_weights_rescores_open_leads(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/leads", json={"name": "W", "industry": "finance"}, headers=admin
    )
    assert created.json()["score"] == 20 + 3 + 5 + 8
    config = (await client.get("/api/v1/lead-scoring", headers=admin)).json()["config"]
    config["weights"] = {
        "industry": 70,
        "company_size": 10,
        "visit_frequency": 10,
        "expressed_interest": 10,
    }
    changed = await client.put("/api/v1/lead-scoring", json=config, headers=admin)
    assert changed.json()["rescored_leads"] == 1
    lead = await client.get(f"/api/v1/leads/{created.json()['lead_id']}", headers=admin)
    assert lead.json()["score"] == 70 + 2 + 2 + 2
    bad = {**config, "weights": {**config["weights"], "industry": 71}}
    assert (await client.put("/api/v1/lead-scoring", json=bad, headers=admin)).status_code == 422


async def test_a_rep_keeps_the_lead_they_enter_and_can_convert_it(
    client: httpx.AsyncClient, admin: dict[str, str], as_role: Callable[..., dict[str, str]]
) -> None:
    rep = as_role(Role.SALES_REP, subject="rep-9", team="north")
    created = await client.post("/api/v1/leads", json={"name": "Found at a fair"}, headers=rep)
    assert created.status_code == 201
    lead = created.json()
    assert [lead["owner_id"], lead["team"], lead["assignment_rule"]] == [
        "rep-9",
        "north",
        "creator",
    ]
    url = f"/api/v1/leads/{lead['lead_id']}"
    assert (await client.get(url, headers=rep)).status_code == 200
    qualified = await client.patch(
        url, json={"status": "qualified"}, headers={**rep, "If-Match": created.headers["ETag"]}
    )
    assert qualified.status_code == 200
    converted = await client.post(f"{url}/conversion", json={}, headers=rep)
    assert converted.status_code == 201
    opportunity = await client.get(
        f"/api/v1/opportunities/{converted.json()['opportunity_id']}", headers=rep
    )
    assert opportunity.json()["owner_id"] == "rep-9"
    # An administrator's lead still goes through the rule table (none here: unassigned).
    by_admin = await client.post("/api/v1/leads", json={"name": "Routed"}, headers=admin)
    assert by_admin.json()["owner_id"] is None


async def test_a_misspelt_field_is_refused_with_422_and_nothing_is_stored(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    refused = await client.post(
        "/api/v1/leads", json={"name": "Wang", "compnay": "Acme"}, headers=admin
    )

    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["type"]) == ("body.compnay", "extra_forbidden")
    assert (await client.get("/api/v1/leads", headers=admin)).json()["total"] == 0
    created = await client.post("/api/v1/leads", json={"name": "Wang"}, headers=admin)
    url = f"/api/v1/leads/{created.json()['lead_id']}"
    patched = await client.patch(
        url, json={"compnay": "Acme"}, headers={**admin, "If-Match": created.headers["ETag"]}
    )
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["field"] == "body.compnay"


async def test_an_unknown_query_parameter_is_refused_with_422(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await client.post("/api/v1/leads", json={"name": "Li"}, headers=admin)

    refused = await client.get("/api/v1/leads", params={"owner_id[$ne]": "x"}, headers=admin)
    listed = await client.get("/api/v1/leads", params={"status": "new"}, headers=admin)

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["query.owner_id[$ne]"]
    assert listed.status_code == 200
    assert listed.json()["total"] == 1


async def test_the_published_lead_schemas_refuse_unknown_fields(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]

    assert schemas["LeadCreate"]["additionalProperties"] is False
    assert schemas["LeadPatch"]["additionalProperties"] is False
