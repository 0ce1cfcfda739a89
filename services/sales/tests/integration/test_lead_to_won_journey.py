"""The sales journey: web form lead, scored and routed by territory, converted, won."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from crm_contracts.access import Role
from crm_contracts.events import sales

pytestmark = pytest.mark.integration


async def test_web_form_lead_is_scored_routed_converted_and_won(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    north_china: dict[str, Any],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    form = await client.put(
        "/api/v1/web-forms/spring-expo",
        json={"name": "Spring expo sign-up", "campaign_id": "cmp-1", "product": "CRM Suite"},
        headers=admin,
    )
    assert form.status_code == 200, form.text

    submitted = await client.post(
        "/api/v1/web-forms/spring-expo/submissions",
        json={
            "name": "Li Lei",
            "email": "li.lei@example.cn",
            "phone": "13800138000",
            "company": "Beijing Robotics",
            "industry": "Technology",
            "company_size": "201-1000",
            "region": "Beijing",
            "interest_level": 5,
        },
    )
    assert submitted.status_code == 202, submitted.text
    lead_id = submitted.json()["reference"]

    lead = (await client.get(f"/api/v1/leads/{lead_id}", headers=admin)).json()
    # industry 5x20 + size 4x15 + visits 1x25 + interest 5x40, over 5
    assert lead["score"] == 20 + 12 + 5 + 40
    assert {item["attribute"]: item["rating"] for item in lead["score_breakdown"]} == {
        "industry": 5,
        "company_size": 4,
        "visit_frequency": 1,
        "expressed_interest": 5,
    }
    assert lead["team"] == "north-china"
    assert lead["owner_id"] in {"rep-bj-1", "rep-bj-2"}
    assert lead["source_channel"] == "web_form"
    owner = lead["owner_id"]
    rep = as_role(Role.SALES_REP, subject=owner, team="north-china")

    qualified = await client.patch(
        f"/api/v1/leads/{lead_id}",
        json={"status": "qualified"},
        headers={**rep, "If-Match": f'"{lead["version"]}"'},
    )
    assert qualified.status_code == 200, qualified.text

    converted = await client.post(
        f"/api/v1/leads/{lead_id}/conversion",
        json={"opportunity_name": "Robotics CRM rollout", "amount": "120000.00"},
        headers=rep,
    )
    assert converted.status_code == 201, converted.text
    ids = converted.json()
    again = await client.post(f"/api/v1/leads/{lead_id}/conversion", json={}, headers=rep)
    assert again.json() == ids

    opportunity_id = ids["opportunity_id"]
    url = f"/api/v1/opportunities/{opportunity_id}"
    opportunity = (await client.get(url, headers=rep)).json()
    assert opportunity["stage"] == "lead_generated"
    assert opportunity["customer_id"] == ids["customer_id"]
    assert opportunity["contact_id"] == ids["contact_id"]

    async def move(stage: str, **extra: Any) -> httpx.Response:
        current = await client.get(url, headers=rep)
        return await client.put(
            f"{url}/stage",
            json={"stage": stage, **extra},
            headers={**rep, "If-Match": current.headers["ETag"]},
        )

    for stage in ("qualified", "needs_confirmed"):
        blocked = await move(stage)
        if stage == "qualified":
            assert blocked.status_code == 200, blocked.text  # the contact came with the lead
            continue
        assert blocked.status_code == 422
        assert "needs" in blocked.json()["detail"]

    async def edit(**changes: Any) -> None:
        current = await client.get(url, headers=rep)
        response = await client.patch(
            url, json=changes, headers={**rep, "If-Match": current.headers["ETag"]}
        )
        assert response.status_code == 200, response.text

    await edit(needs="Sales automation for 300 reps", decision_maker="CTO Wang")
    for stage in ("needs_confirmed", "demo"):
        assert (await move(stage)).status_code == 200
    blocked = await move("proposal")
    assert blocked.status_code == 422
    assert "expected_close" in blocked.json()["detail"]
    await edit(expected_close="2027-03-31")
    for stage in ("proposal", "negotiation"):
        assert (await move(stage)).status_code == 200
    assert (await move("won")).status_code == 422  # no signed contract yet
    await edit(contract_number="HT-2026-0042")
    won = await move("won")
    assert won.status_code == 200, won.text
    body = won.json()
    assert body["status"] == "won"
    assert [change["to_stage"] for change in body["stage_history"]] == [
        "lead_generated",
        "qualified",
        "needs_confirmed",
        "demo",
        "proposal",
        "negotiation",
        "won",
    ]

    def published(event_type: str) -> list[Any]:
        found: list[Any] = recorder.of_type(event_type)
        return found

    await eventually(lambda: published(sales.OpportunityWon.TYPE))
    converted_events = published(sales.LeadConverted.TYPE)
    assert len(converted_events) == 1
    data = converted_events[0].data
    assert data["customer_id"] == ids["customer_id"]
    assert data["prospect"]["company"] == "Beijing Robotics"
    assert published(sales.LeadCaptured.TYPE)[0].data["score"] == lead["score"]
    assert published(sales.LeadAssigned.TYPE)[0].data["team"] == "north-china"
    assert len(published(sales.OpportunityStageChanged.TYPE)) == 6
