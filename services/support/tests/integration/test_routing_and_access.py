"""Routing through the API, escalation, record-level access and error answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events.customer import CustomerCreated
from support.store.tickets import TicketStore

pytestmark = pytest.mark.integration


async def _setup_network_team(support) -> None:
    agents = [
        {"id": "l1-a", "name": "Ann", "team": "network", "skills": ["networking"], "level": 1},
        {"id": "l1-b", "name": "Bo", "team": "network", "skills": ["networking"], "level": 1},
        {"id": "l2-c", "name": "Cai", "team": "network", "skills": ["networking"], "level": 2},
    ]
    for agent in agents:
        created = await support.client.post(
            "/api/v1/ticket-agents", json=agent, headers=support.admin
        )
        assert created.status_code == 201, created.text
    rule = {
        "name": "Router problems",
        "position": 10,
        "team": "network",
        "required_skills": ["networking"],
        "match": {"keywords": ["router"]},
    }
    created = await support.client.post(
        "/api/v1/ticket-routing-rules", json=rule, headers=support.admin
    )
    assert created.status_code == 201, created.text


async def test_tickets_are_routed_to_the_least_loaded_skilled_agent_and_escalated(
    support, events, bodies
) -> None:
    await _setup_network_team(support)
    body = bodies.ticket(subject="Router keeps rebooting")
    first = (await support.client.post("/api/v1/tickets", json=body, headers=support.auth())).json()
    second = (
        await support.client.post("/api/v1/tickets", json=body, headers=support.auth())
    ).json()
    assert first["status"] == "assigned"
    assert (first["team"], first["assignee_id"]) == ("network", "l1-a")
    assert second["assignee_id"] == "l1-b"  # l1-a already has one open ticket
    unrouted = (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=support.auth())
    ).json()
    assert unrouted["status"] == "new"

    escalated = await support.client.post(
        f"/api/v1/tickets/{first['id']}/escalation",
        json={"reason": "Needs firmware expertise"},
        headers=support.auth(subject="l1-a", team="network"),
    )
    assert escalated.status_code == 200, escalated.text
    assert (escalated.json()["assignee_id"], escalated.json()["escalation_level"]) == ("l2-c", 1)

    async def escalation_published() -> bool:
        return bool(events.of_type("crm.support.ticket.escalated.v1"))

    await wait_until(escalation_published, timeout=10, what="ticket.escalated event")


async def test_assignment_and_escalation_events_say_what_the_ticket_is_about(
    support, events, bodies
) -> None:
    """The agent alerted of a ticket reads its subject and priority in the event (#17)."""
    await _setup_network_team(support)
    body = bodies.ticket(subject="Router drops every hour", priority="urgent")
    created = await support.client.post("/api/v1/tickets", json=body, headers=support.auth())
    ticket = created.json()
    assert ticket["assignee_id"] == "l1-a"
    escalated = await support.client.post(
        f"/api/v1/tickets/{ticket['id']}/escalation",
        json={"reason": "Needs firmware expertise"},
        headers=support.auth(subject="l1-a", team="network"),
    )
    assert escalated.status_code == 200, escalated.text

    [assigned] = await events.wait_for("crm.support.ticket.assigned.v1")
    [escalation] = await events.wait_for("crm.support.ticket.escalated.v1")
    assert (assigned["data"]["assignee_id"], assigned["data"]["team"]) == ("l1-a", "network")
    for event in (assigned, escalation):
        assert event["data"]["subject"] == "Router drops every hour"
        assert event["data"]["priority"] == "urgent"
    assert (escalation["data"]["from_assignee_id"], escalation["data"]["to_assignee_id"]) == (
        "l1-a",
        "l2-c",
    )


async def test_open_tickets_are_counted_only_for_a_rule_that_balances_load(
    support, bodies, monkeypatch
) -> None:
    await _setup_network_team(support)
    queue_rule = {
        "name": "Billing queue",
        "position": 20,
        "team": "billing",
        "strategy": "team_queue",
        "match": {"keywords": ["invoice"]},
    }
    created = await support.client.post(
        "/api/v1/ticket-routing-rules", json=queue_rule, headers=support.admin
    )
    assert created.status_code == 201, created.text
    counted: list[str] = []
    open_loads = TicketStore.open_loads

    async def counting(self: TicketStore) -> dict[str, int]:
        counted.append("open loads")
        return await open_loads(self)

    monkeypatch.setattr(TicketStore, "open_loads", counting)

    for subject in ("Printer jammed", "Invoice is wrong"):
        ticket = await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(subject=subject), headers=support.auth()
        )
        assert ticket.status_code == 201, ticket.text
    assert counted == []
    routed = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(subject="Router down"), headers=support.auth()
    )
    assert routed.json()["assignee_id"] == "l1-a"
    assert counted == ["open loads"]


async def test_invalid_transition_is_a_conflict_and_stale_if_match_a_precondition_failure(
    support, bodies
) -> None:
    ticket = (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=support.auth())
    ).json()
    url = f"/api/v1/tickets/{ticket['id']}"
    skipped = await support.client.post(
        f"{url}/transitions", json={"to": "closed"}, headers=support.auth()
    )
    assert skipped.status_code == 409
    assert skipped.json()["type"].endswith("/conflict")

    patched = await support.client.patch(
        url, json={"priority": "urgent"}, headers={**support.auth(), "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["sla"]["first_response"]["target_seconds"] == 2 * 3600
    stale = await support.client.patch(
        url, json={"subject": "Other"}, headers={**support.auth(), "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    missing = await support.client.patch(url, json={"subject": "Other"}, headers=support.auth())
    assert missing.status_code == 428


async def test_invalid_input_names_the_fields_and_writes_nothing(support, bodies) -> None:
    response = await support.client.post(
        "/api/v1/tickets",
        json=bodies.ticket(subject="", priority="whenever", requester_email="not-an-address"),
        headers=support.auth(),
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"body.subject", "body.priority", "body.requester_email"} <= fields
    listed = await support.client.get("/api/v1/tickets", headers=support.auth())
    assert listed.json()["total"] == 0


async def test_sales_rep_sees_only_tickets_of_customers_they_own(
    support, add_customers, bodies
) -> None:
    now = datetime.now(UTC)
    await add_customers(
        *(
            CustomerCreated(
                customer_id=customer_id, member_id="VIP9", name="X", owner_id=owner, created_at=now
            )
            for customer_id, owner in (("c-mine", "rep-1"), ("c-other", "rep-2"))
        )
    )
    mine = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id="c-mine"), headers=support.auth()
        )
    ).json()
    other = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id="c-other"), headers=support.auth()
        )
    ).json()
    rep = support.auth(Role.SALES_REP, subject="rep-1")

    listed = await support.client.get("/api/v1/tickets", headers=rep)
    assert [t["id"] for t in listed.json()["items"]] == [mine["id"]]
    assert (
        await support.client.get(f"/api/v1/tickets/{other['id']}", headers=rep)
    ).status_code == 404
    assert (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=rep)
    ).status_code == 403


async def test_sales_rep_sees_only_surveys_of_customers_they_own(
    support, add_customers, bodies
) -> None:
    now = datetime.now(UTC)
    await add_customers(
        *(
            CustomerCreated(
                customer_id=customer_id, member_id="VIP9", name="X", owner_id=owner, created_at=now
            )
            for customer_id, owner in (("c-mine", "rep-1"), ("c-other", "rep-2"))
        )
    )
    for customer_id in ("c-mine", "c-other"):
        ticket = await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id=customer_id), headers=support.auth()
        )
        url = f"/api/v1/tickets/{ticket.json()['id']}"
        assigned = await support.client.post(
            f"{url}/assignment", json={"assignee_id": "agent-1"}, headers=support.admin
        )
        assert assigned.status_code == 200, assigned.text
        resolved = await support.client.post(
            f"{url}/transitions", json={"to": "resolved"}, headers=support.admin
        )
        assert resolved.status_code == 200, resolved.text

    async def both_surveyed() -> bool:
        listed = await support.client.get("/api/v1/surveys", headers=support.admin)
        return bool(listed.json()["total"] == 2)

    await wait_until(both_surveyed, timeout=15, what="a survey per resolved ticket")
    rep = support.auth(Role.SALES_REP, subject="rep-1")

    listed = await support.client.get("/api/v1/surveys", headers=rep)
    tracking = await support.client.get("/api/v1/surveys/tracking", headers=rep)

    assert [s["customer_id"] for s in listed.json()["items"]] == ["c-mine"]
    assert sum(tracking.json()["by_status"].values()) == 1
    everything = await support.client.get("/api/v1/surveys/tracking", headers=support.auth())
    assert sum(everything.json()["by_status"].values()) == 2


async def test_agent_cannot_work_another_teams_assigned_ticket(support, bodies) -> None:
    ticket = (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=support.auth())
    ).json()
    url = f"/api/v1/tickets/{ticket['id']}"
    await support.client.post(
        f"{url}/assignment", json={"assignee_id": "agent-9", "team": "south"}, headers=support.admin
    )
    outsider = support.auth(subject="agent-2", team="north")
    reply = await support.client.post(f"{url}/messages", json={"body": "Hello"}, headers=outsider)
    assert reply.status_code == 403
    teammate = support.auth(subject="agent-3", team="south")
    assert (
        await support.client.post(f"{url}/messages", json={"body": "Hi"}, headers=teammate)
    ).status_code == 201
