"""API1 broken object-level authorisation: a rep reaches only their own records, a manager
their team's, whatever id they ask for; the authorisation matrix down to the record."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_e2e.harness import Platform
from crm_e2e.journeys import post_for_customer
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
        await create_customer(bob)  # the filter narrows bob's view, it does not replace it
        response = await bob.get("/api/v1/customers", params={"owner_id": alice_id})
        assert response.status_code == 200, response.text
        assert response.json()["items"] == []


async def test_rep_opportunity_list_filtered_by_another_owner_shows_nothing_of_theirs(
    secured_platform: Platform,
) -> None:
    alice_id, alice = person(secured_platform, Role.SALES_REP, team="north")
    _, bob = person(secured_platform, Role.SALES_REP, team="north")
    async with alice, bob:
        await create_opportunity(alice)
        await create_opportunity(bob)  # the filter narrows bob's view, it does not replace it
        response = await bob.get(
            "/api/v1/opportunities", params={"owner_id": alice_id, "limit": 200}
        )
        assert response.status_code == 200, response.text
        assert response.json()["items"] == []


# Routes beside the main ones (issue 18, finding 4): a caller whose role is owner- or
# team-scoped sees there only the customers the customer service would show them.


def _team() -> str:
    return f"team-{uuid.uuid4().hex[:8]}"


async def _settled(read: Callable[[], Awaitable[bool]], what: str) -> None:
    """Events reach other services after the write: poll, with a deadline."""
    await wait_until(read, timeout=20, interval=0.1, what=what)


async def test_customer_value_of_a_customer_outside_the_managers_team_is_not_found(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, rep = person(secured_platform, Role.SALES_REP, team=north)
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with rep, north_manager, south_manager, secured_platform.admin() as admin:
        customer = await create_customer(rep)
        url = f"/api/v1/reports/customer-value/{customer['id']}"

        async def known() -> bool:
            return (await admin.get(url)).status_code == 200

        await _settled(known, "customer value in analytics")

        assert (await south_manager.get(url)).status_code == 404
        assert (await north_manager.get(url)).status_code == 200


async def test_customer_value_list_holds_only_the_managers_teams_customers(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, rep = person(secured_platform, Role.SALES_REP, team=north)
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with rep, north_manager, south_manager, secured_platform.admin() as admin:
        customer = await create_customer(rep)
        await _settled(
            lambda: _lists(admin, "/api/v1/reports/customer-value", "customer_id", customer["id"]),
            "customer value in analytics",
        )

        assert not await _lists(
            south_manager, "/api/v1/reports/customer-value", "customer_id", customer["id"]
        )
        assert await _lists(
            north_manager, "/api/v1/reports/customer-value", "customer_id", customer["id"]
        )


async def _lists(
    client: httpx.AsyncClient, url: str, key: str, value: object, **params: object
) -> bool:
    """Whether some page of the list at ``url`` holds an item whose ``key`` is ``value``."""
    offset = 0
    while True:
        response = await client.get(url, params={**params, "limit": 200, "offset": offset})
        assert response.status_code == 200, response.text
        body = response.json()
        if any(item[key] == value for item in body["items"]):
            return True
        offset += len(body["items"])
        if not body["items"] or offset >= body["total"]:
            return False


async def _relate(client: httpx.AsyncClient, source: object, target: object) -> None:
    related = await client.post(
        "/api/v1/customer-relations", json={"source_id": source, "target_id": target}
    )
    assert related.status_code == 204, related.text


async def test_network_around_a_customer_outside_the_managers_team_is_not_found_and_hides_them(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, north_rep = person(secured_platform, Role.SALES_REP, team=north)
    _, south_rep = person(secured_platform, Role.SALES_REP, team=south)
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with (
        north_rep,
        south_rep,
        north_manager,
        south_manager,
        secured_platform.admin() as admin,
    ):
        ours = await create_customer(north_rep, company=f"North {uuid.uuid4().hex[:6]}")
        theirs = await create_customer(south_rep, company=f"South {uuid.uuid4().hex[:6]}")
        await _relate(admin, ours["id"], theirs["id"])
        url = f"/api/v1/customer-network/customers/{ours['id']}"

        everything = await admin.get(url, params={"radius": 2})
        assert {node["id"] for node in everything.json()["nodes"]} >= {ours["id"], theirs["id"]}
        assert (await south_manager.get(url)).status_code == 404
        around = await north_manager.get(url, params={"radius": 2})

        assert around.status_code == 200, around.text
        labels = {node["label"] for node in around.json()["nodes"]}
        assert ours["name"] in labels
        assert ours["company"] in labels
        assert theirs["name"] not in around.text
        assert str(theirs["company"]).lower() not in around.text.lower()
        assert theirs["id"] not in around.text


async def test_key_customers_hold_only_customers_the_manager_may_see(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, rep = person(secured_platform, Role.SALES_REP, team=north)
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with rep, north_manager, south_manager, secured_platform.admin() as admin:
        hub, left, right = [await create_customer(rep) for _ in range(3)]
        await _relate(rep, hub["id"], left["id"])
        await _relate(rep, hub["id"], right["id"])
        url = "/api/v1/customer-network/key-customers"

        ranked = await admin.get(url, params={"limit": 200})
        assert hub["id"] in {item["id"] for item in ranked.json()}
        south_view = await south_manager.get(url, params={"limit": 200})
        north_view = await north_manager.get(url, params={"limit": 200})

        assert south_view.status_code == 200, south_view.text
        assert hub["name"] not in south_view.text
        assert hub["id"] not in south_view.text
        assert hub["id"] in {item["id"] for item in north_view.json()}


async def _segment(marketer: httpx.AsyncClient, customer_ids: list[object]) -> dict[str, Any]:
    created = await marketer.post(
        "/api/v1/segments",
        json={
            "name": f"Audience {uuid.uuid4().hex[:6]}",
            "kind": "static",
            "customer_ids": customer_ids,
        },
    )
    assert created.status_code == 201, created.text
    segment: dict[str, Any] = created.json()

    async def known() -> bool:
        preview = await marketer.get(f"/api/v1/segments/{segment['id']}/preview")
        return bool(preview.json()["count"] == len(customer_ids))

    await _settled(known, "segment audience known to marketing")
    return segment


async def test_stored_segment_preview_counts_and_shows_only_the_managers_customers(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, rep = person(secured_platform, Role.SALES_REP, team=north)
    _, marketer = person(secured_platform, Role.MARKETER, team="growth")
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with rep, marketer, north_manager, south_manager:
        customer = await create_customer(rep)
        segment = await _segment(marketer, [customer["id"]])
        url = f"/api/v1/segments/{segment['id']}/preview"

        south_view = await south_manager.get(url)
        north_view = await north_manager.get(url)

        assert south_view.status_code == 200, south_view.text
        assert south_view.json() == {"count": 0, "sample": []}
        assert [c["name"] for c in north_view.json()["sample"]] == [customer["name"]]


async def test_segment_rules_preview_counts_and_shows_only_the_managers_customers(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, rep = person(secured_platform, Role.SALES_REP, team=north)
    _, marketer = person(secured_platform, Role.MARKETER, team="growth")
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with rep, marketer, north_manager, south_manager:
        customer = await create_customer(rep)
        await _segment(marketer, [customer["id"]])
        body = {"name": "Draft", "kind": "static", "customer_ids": [customer["id"]]}

        south_view = await south_manager.post("/api/v1/segments/preview", json=body)
        north_view = await north_manager.post("/api/v1/segments/preview", json=body)

        assert south_view.status_code == 200, south_view.text
        assert south_view.json() == {"count": 0, "sample": []}
        assert [c["name"] for c in north_view.json()["sample"]] == [customer["name"]]


async def test_campaign_deliveries_list_only_recipients_the_manager_may_see(
    secured_platform: Platform,
) -> None:
    north, south = _team(), _team()
    _, rep = person(secured_platform, Role.SALES_REP, team=north)
    _, marketer = person(secured_platform, Role.MARKETER, team="growth")
    _, north_manager = person(secured_platform, Role.SALES_MANAGER, team=north)
    _, south_manager = person(secured_platform, Role.SALES_MANAGER, team=south)
    async with rep, marketer, north_manager, south_manager:
        email = f"recipient.{uuid.uuid4().hex[:8]}@example.com"
        customer = await create_customer(rep, email=email)
        segment = await _segment(marketer, [customer["id"]])
        campaign_id = await _sent_campaign(marketer, segment["id"])
        url = f"/api/v1/campaigns/{campaign_id}/deliveries"

        assert await _lists(marketer, url, "customer_id", customer["id"])
        south_view = await south_manager.get(url)

        assert south_view.status_code == 200, south_view.text
        assert south_view.json()["items"] == []
        assert south_view.json()["total"] == 0
        assert email not in south_view.text
        assert await _lists(north_manager, url, "customer_id", customer["id"])


async def _sent_campaign(marketer: httpx.AsyncClient, segment_id: str) -> str:
    template = await marketer.post(
        "/api/v1/email-templates",
        json={"name": f"Mail {uuid.uuid4().hex[:6]}", "subject": "Hi", "html": "<p>Hi</p>"},
    )
    assert template.status_code == 201, template.text
    campaign = await marketer.post(
        "/api/v1/campaigns",
        json={
            "name": f"Campaign {uuid.uuid4().hex[:6]}",
            "channels": ["email"],
            "budget": "100.00",
            "segment_id": segment_id,
            "template_id": template.json()["id"],
        },
    )
    assert campaign.status_code == 201, campaign.text
    campaign_id: str = campaign.json()["id"]
    preparing = await marketer.post(
        f"/api/v1/campaigns/{campaign_id}/status", json={"status": "preparing"}
    )
    assert preparing.status_code == 200, preparing.text
    sent = await marketer.post(f"/api/v1/campaigns/{campaign_id}/deliveries")
    assert sent.status_code == 202, sent.text
    return campaign_id


async def _resolved_ticket(admin: httpx.AsyncClient, customer: dict[str, object]) -> str:
    opened = await admin.post(
        "/api/v1/tickets",
        json={
            "subject": "Broken",
            "description": "It broke.",
            "customer_id": customer["id"],
            "requester_email": f"req.{uuid.uuid4().hex[:8]}@example.com",
        },
    )
    assert opened.status_code == 201, opened.text
    ticket_id: str = opened.json()["id"]
    assigned = await admin.post(
        f"/api/v1/tickets/{ticket_id}/assignment",
        json={"assignee_id": "agent-security", "team": "care"},
    )
    assert assigned.status_code == 200, assigned.text
    resolved = await admin.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"to": "resolved"})
    assert resolved.status_code == 200, resolved.text
    return ticket_id


async def test_rep_lists_only_surveys_of_their_own_customers(
    secured_platform: Platform,
) -> None:
    _, alice = person(secured_platform, Role.SALES_REP, team=_team())
    _, bob = person(secured_platform, Role.SALES_REP, team=_team())
    async with alice, bob, secured_platform.admin() as admin:
        alices_ticket = await _resolved_ticket(admin, await create_customer(alice))
        bobs_ticket = await _resolved_ticket(admin, await create_customer(bob))
        await _settled(
            lambda: _lists(admin, "/api/v1/surveys", "ticket_id", bobs_ticket),
            "survey of the resolved ticket",
        )
        await _settled(
            lambda: _lists(alice, "/api/v1/surveys", "ticket_id", alices_ticket),
            "survey of alice's customer, for alice",
        )

        assert not await _lists(alice, "/api/v1/surveys", "ticket_id", bobs_ticket)
        tracking = await alice.get("/api/v1/surveys/tracking")
        assert tracking.status_code == 200, tracking.text
        assert (
            sum(tracking.json()["by_status"].values())
            == (await alice.get("/api/v1/surveys", params={"limit": 1})).json()["total"]
        )


LINES = [{"product": "Seat", "quantity": "1", "unit_price": "100000.00"}]
ATTACHED: dict[str, dict[str, object]] = {
    "/api/v1/opportunities": {"name": "Deal", "amount": "100000.00"},
    "/api/v1/orders": {"lines": LINES},
    "/api/v1/quotes": {"terms": {"lines": LINES}},
    "/api/v1/tasks": {"title": "Call back", "kind": "call", "priority": "normal"},
}


@pytest.mark.parametrize("url", sorted(ATTACHED))
async def test_rep_cannot_attach_a_sales_record_to_another_reps_customer(
    secured_platform: Platform, url: str
) -> None:
    _, alice = person(secured_platform, Role.SALES_REP, team=_team())
    _, bob = person(secured_platform, Role.SALES_REP, team=_team())
    async with alice, bob, secured_platform.admin() as admin:
        customer = await create_customer(alice)
        body = {**ATTACHED[url], "customer_id": customer["id"]}

        assert (await post_for_customer(alice, url, body)).status_code == 201  # her own
        refused = await bob.post(url, json=body)

        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["body.customer_id"]
        mine = await admin.get(url, params={"customer_id": customer["id"], "limit": 200})
        assert mine.json()["total"] == 1
