"""Tasks assigned by workload and customer priority; forecasts limited to what you may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from crm_contracts.access import Role
from crm_contracts.events import sales
from sales.components import components
from sales.operations.tasks import send_reminders

pytestmark = pytest.mark.integration


async def add_reps(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for rep_id, senior in (("rep-a", False), ("rep-b", False), ("rep-s", True)):
        await client.put(
            f"/api/v1/lead-routing-reps/{rep_id}",
            json={"name": rep_id, "team": "north-china", "senior": senior},
            headers=admin,
        )


async def test_tasks_go_to_the_least_loaded_rep_and_vip_work_to_seniors(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    await add_reps(client, admin)
    due = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    assignees = []
    for n in range(6):
        created = await client.post(
            "/api/v1/tasks",
            json={"title": f"Call {n}", "due_at": due, "auto_assign": {"team": "north-china"}},
            headers=admin,
        )
        assert created.status_code == 201, created.text
        assignees.append(created.json()["assignee_id"])
    assert Counter(assignees) == {"rep-a": 2, "rep-b": 2, "rep-s": 2}

    urgent = await client.post(
        "/api/v1/tasks",
        json={"title": "Escalation", "priority": "high", "auto_assign": {"team": "north-china"}},
        headers=admin,
    )
    assert urgent.json()["assignee_id"] == "rep-s"

    # Due in 2 h with reminders 24 h ahead: every reminder is due now, and sent once.
    store = components(app.state.runtime)
    assert await send_reminders(store, datetime.now(UTC)) == 6
    assert await send_reminders(store, datetime.now(UTC)) == 0
    app.state.runtime.notify_outbox()
    await eventually(lambda: len(recorder.of_type(sales.TaskReminderDue.TYPE)) == 6)

    task = (
        await client.get("/api/v1/tasks", params={"assignee_id": "rep-a"}, headers=admin)
    ).json()
    first = task["items"][0]
    done = await client.put(
        f"/api/v1/tasks/{first['task_id']}/status",
        json={"status": "done"},
        headers={**admin, "If-Match": f'"{first["version"]}"'},
    )
    assert done.status_code == 200, done.text
    result = (await client.get("/api/v1/tasks/metrics", headers=admin)).json()
    assert result["done"] == 1
    assert result["total"] == 7
    assert result["on_time_rate"] == "1.0000"


async def test_forecast_weights_open_deals_and_a_rep_sees_only_their_own(
    client: httpx.AsyncClient, admin: dict[str, str], as_role: Callable[..., dict[str, str]]
) -> None:
    await add_reps(client, admin)
    for owner, amount in (("rep-a", "1000.00"), ("rep-b", "3000.00")):
        created = await client.post(
            "/api/v1/opportunities",
            json={
                "name": f"Deal {owner}",
                "customer_id": "cust-1",
                "owner_id": owner,
                "amount": amount,
                "expected_close": "2027-02-15",
            },
            headers=admin,
        )
        assert created.status_code == 201, created.text
    everyone = await client.get("/api/v1/forecasts", params={"group_by": "owner"}, headers=admin)
    assert [(r["group"], r["weighted_amount"]) for r in everyone.json()["rows"]] == [
        ("rep-a", "100.00"),
        ("rep-b", "300.00"),
    ]
    rep_a = as_role(Role.SALES_REP, subject="rep-a", team="north-china")
    own = await client.get("/api/v1/forecasts", headers=rep_a)
    assert [r["weighted_amount"] for r in own.json()["rows"]] == ["100.00"]
    listed = await client.get("/api/v1/opportunities", headers=rep_a)
    assert [o["owner_id"] for o in listed.json()["items"]] == ["rep-a"]
    manager = as_role(Role.SALES_MANAGER, subject="mgr", team="north-china")
    assert (await client.get("/api/v1/opportunities", headers=manager)).json()["total"] == 2
    report = await client.get("/api/v1/forecasts/weekly-report", headers=admin)
    assert report.status_code == 200
    assert report.json()["new_opportunities"] == 2
