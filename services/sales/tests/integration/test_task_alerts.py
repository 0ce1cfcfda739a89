"""Tasks and alerts (issue #17): whoever gets a task is told, by whom, through the broker;
a task's reminder names the team; lists filter on being overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, sales
from sales.components import components
from sales.operations.tasks import send_reminders

pytestmark = pytest.mark.integration


async def add_reps(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for rep_id, team in (("rep-a", "north-china"), ("rep-b", "north-china"), ("rep-e", "east")):
        response = await client.put(
            f"/api/v1/lead-routing-reps/{rep_id}",
            json={"name": rep_id, "team": team, "manager_id": f"mgr-{team}"},
            headers=admin,
        )
        assert response.status_code == 200, response.text


def of_task(recorder: Any, task_id: str) -> list[CloudEvent]:
    return [e for e in recorder.of_type(sales.TaskAssigned.TYPE) if e.data["task_id"] == task_id]


def ids(response: httpx.Response, key: str) -> set[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {item[key] for item in body["items"]}


async def test_a_task_created_for_someone_or_handed_on_tells_the_assignee_who_did_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    publish: Callable[..., Any],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    await add_reps(client, admin)
    # The manager may name the customer of a task: it is one of their team's in sales' copy.
    await publish(
        customer.CustomerCreated(
            customer_id="cust-1",
            member_id="M-1",
            name="Hebei Steel",
            owner_id="rep-a",
            team="north-china",
            created_at=datetime.now(UTC),
        )
    )
    parts = components(app.state.runtime)
    await eventually(lambda: parts.customers.get("cust-1"), what="cust-1 in sales' copy")
    manager = as_role(Role.SALES_MANAGER, subject="mgr-1", team="north-china")
    deal = await client.post(
        "/api/v1/opportunities",
        json={"name": "Renewal", "customer_id": "cust-1", "owner_id": "rep-a"},
        headers=admin,
    )
    assert deal.status_code == 201, deal.text
    opportunity_id = deal.json()["opportunity_id"]
    due = datetime(2030, 5, 6, 9, 30, tzinfo=UTC)
    created = await client.post(
        "/api/v1/tasks",
        json={
            "title": "Call about the renewal",
            "assignee_id": "rep-a",
            "customer_id": "cust-1",
            "opportunity_id": opportunity_id,
            "due_at": due.isoformat(),
        },
        headers=manager,
    )
    assert created.status_code == 201, created.text
    task_id = created.json()["task_id"]

    await eventually(lambda: of_task(recorder, task_id), what="task.assigned on creation")
    [first] = of_task(recorder, task_id)
    assert first.subject == task_id
    assert first.data["title"] == "Call about the renewal"
    assert first.data["assignee_id"] == "rep-a"
    assert first.data["team"] == "north-china"
    assert first.data["assigned_by"] == "mgr-1"
    assert first.data["customer_id"] == "cust-1"
    assert first.data["opportunity_id"] == opportunity_id
    assert datetime.fromisoformat(first.data["due_at"]) == due

    handed = await client.put(
        f"/api/v1/tasks/{task_id}/assignment", json={"assignee_id": "rep-e"}, headers=admin
    )
    assert handed.status_code == 200, handed.text
    await eventually(lambda: len(of_task(recorder, task_id)) == 2, what="task.assigned on hand-on")
    second = next(e for e in of_task(recorder, task_id) if e.data["assignee_id"] == "rep-e")
    assert second.data["team"] == "east"
    assert second.data["assigned_by"] == "admin-1"


async def test_an_automatic_assignment_is_by_nobody_and_a_rep_s_own_task_by_themselves(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    await add_reps(client, admin)
    auto = await client.post(
        "/api/v1/tasks",
        json={"title": "Follow up", "auto_assign": {"team": "east"}},
        headers=admin,
    )
    assert auto.status_code == 201, auto.text
    rep = as_role(Role.SALES_REP, subject="rep-b", team="north-china")
    own = await client.post("/api/v1/tasks", json={"title": "Prepare the demo"}, headers=rep)
    assert own.status_code == 201, own.text

    await eventually(lambda: len(recorder.of_type(sales.TaskAssigned.TYPE)) == 2)
    [by_rule] = of_task(recorder, auto.json()["task_id"])
    assert (by_rule.data["assignee_id"], by_rule.data["assigned_by"]) == ("rep-e", None)
    [by_self] = of_task(recorder, own.json()["task_id"])
    assert (by_self.data["assignee_id"], by_self.data["assigned_by"]) == ("rep-b", "rep-b")
    assert by_self.data["team"] == "north-china"
    assert by_self.data["due_at"] is None


async def test_a_task_reminder_names_the_assignee_s_team(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    await add_reps(client, admin)
    created = await client.post(
        "/api/v1/tasks",
        json={
            "title": "Send the contract",
            "assignee_id": "rep-a",
            "due_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert await send_reminders(components(app.state.runtime), datetime.now(UTC)) == 1

    await eventually(lambda: recorder.of_type(sales.TaskReminderDue.TYPE))
    [reminder] = recorder.of_type(sales.TaskReminderDue.TYPE)
    assert reminder.data["assignee_id"] == "rep-a"
    assert reminder.data["team"] == "north-china"


async def test_tasks_filter_on_being_overdue(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    now = datetime.now(UTC)
    made: dict[str, str] = {}
    etags: dict[str, str] = {}
    for name, due in (
        ("late", now - timedelta(hours=3)),
        ("late-done", now - timedelta(hours=3)),
        ("upcoming", now + timedelta(days=2)),
        ("undated", None),
    ):
        body: dict[str, Any] = {"title": name, "assignee_id": "rep-a"}
        if due is not None:
            body["due_at"] = due.isoformat()
        created = await client.post("/api/v1/tasks", json=body, headers=admin)
        assert created.status_code == 201, created.text
        made[name] = created.json()["task_id"]
        etags[name] = created.headers["ETag"]
    done = await client.put(
        f"/api/v1/tasks/{made['late-done']}/status",
        json={"status": "done"},
        headers={**admin, "If-Match": etags["late-done"]},
    )
    assert done.status_code == 200, done.text

    overdue = await client.get("/api/v1/tasks", params={"overdue": "true"}, headers=admin)
    assert ids(overdue, "task_id") == {made["late"]}
    assert [task["overdue"] for task in overdue.json()["items"]] == [True]
    others = await client.get("/api/v1/tasks", params={"overdue": "false"}, headers=admin)
    assert ids(others, "task_id") == {made["late-done"], made["upcoming"], made["undated"]}
    narrowed = await client.get(
        "/api/v1/tasks",
        params={"overdue": "false", "due_before": (now + timedelta(days=1)).isoformat()},
        headers=admin,
    )
    assert ids(narrowed, "task_id") == {made["late-done"]}

    not_boolean = await client.get("/api/v1/tasks", params={"overdue": "soon"}, headers=admin)
    assert not_boolean.status_code == 422
    assert [e["field"] for e in not_boolean.json()["errors"]] == ["query.overdue"]
    unknown = await client.get("/api/v1/tasks", params={"late": "true"}, headers=admin)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["query.late"]


async def test_the_overdue_filter_keeps_a_rep_to_their_own_tasks(
    client: httpx.AsyncClient, admin: dict[str, str], as_role: Callable[..., dict[str, str]]
) -> None:
    late = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    for assignee in ("rep-a", "rep-b"):
        created = await client.post(
            "/api/v1/tasks",
            json={"title": assignee, "assignee_id": assignee, "due_at": late},
            headers=admin,
        )
        assert created.status_code == 201, created.text
    rep = as_role(Role.SALES_REP, subject="rep-a", team="north-china")
    listed = await client.get("/api/v1/tasks", params={"overdue": "true"}, headers=rep)
    assert ids(listed, "assignee_id") == {"rep-a"}


async def test_the_overdue_filter_is_in_the_published_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/tasks"]["get"]["parameters"]}
    assert parameters["overdue"]["schema"]["anyOf"][0]["type"] == "boolean"
    assert parameters["overdue"]["description"]
