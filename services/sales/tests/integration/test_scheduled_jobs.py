"""Scheduled jobs with two replicas: a stall is alerted once, a due run is taken once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from crm_contracts.events import sales
from sales.app import create_app
from sales.components import build_components, components
from sales.domain.tasks import Task
from sales.operations.jobs import run_due_jobs
from sales.operations.opportunities import alert_stalled
from sales.settings import Settings

pytestmark = pytest.mark.integration


async def test_stalled_opportunity_alerts_owner_and_manager_once_across_two_replicas(
    app: FastAPI,
    settings: Settings,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    await client.put(
        "/api/v1/lead-routing-reps/rep-1",
        json={"name": "Rep", "team": "north-china", "manager_id": "mgr-1"},
        headers=admin,
    )
    created = await client.post(
        "/api/v1/opportunities",
        json={"name": "Quiet deal", "customer_id": "cust-1", "owner_id": "rep-1"},
        headers=admin,
    )
    opportunity_id = created.json()["opportunity_id"]
    store = components(app.state.runtime)
    long_ago = datetime.now(UTC) - timedelta(days=settings.stall_days + 2)
    await store.opportunities.collection.update_one(
        {"_id": opportunity_id}, {"$set": {"stage_changed_at": long_ago}}
    )

    replicas = [store, build_components(app.state.runtime)]
    now = datetime.now(UTC)
    runs = await asyncio.gather(
        *(
            run_due_jobs(replica, settings, f"replica-{n}", now)
            for n, replica in enumerate(replicas)
        )
    )
    assert sorted(run.get("stalled_opportunities", -1) for run in runs) == [-1, 1]
    # A later run (another interval) finds nothing new for the same stall.
    later = now + timedelta(seconds=settings.jobs_interval_seconds + 1)
    assert (await run_due_jobs(store, settings, "replica-0", later))["stalled_opportunities"] == 0

    app.state.runtime.notify_outbox()
    await eventually(lambda: recorder.of_type(sales.OpportunityStalled.TYPE))
    [alert] = recorder.of_type(sales.OpportunityStalled.TYPE)
    assert alert.data["owner_id"] == "rep-1"
    assert alert.data["manager_id"] == "mgr-1"
    assert alert.data["idle_days"] == settings.stall_days + 2


async def test_the_job_loop_of_a_running_replica_sends_due_task_reminders(
    settings: Settings, eventually: Callable[..., Any]
) -> None:
    running = create_app(
        settings.model_copy(update={"jobs_enabled": True, "jobs_interval_seconds": 0.2})
    )
    async with LifespanManager(running, startup_timeout=30, shutdown_timeout=30):
        store = components(running.state.runtime)
        now = datetime.now(UTC)
        task = Task(
            task_id="t-1",
            title="Send the contract",
            assignee_id="rep-1",
            due_at=now + timedelta(hours=1),
            remind_at=now,
            created_at=now,
            updated_at=now,
        )
        await store.tasks.insert(task)

        async def reminded() -> bool:
            stored = await store.tasks.get("t-1")
            return stored is not None and stored.reminded_at is not None

        await eventually(reminded)


async def test_a_pipeline_with_fewer_stall_days_alerts_sooner(
    app: FastAPI, settings: Settings, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    default = (await client.get("/api/v1/pipelines/default", headers=admin)).json()
    fast = await client.post(
        "/api/v1/pipelines",
        json={"name": "Renewals", "stages": default["stages"], "stall_days": 3},
        headers=admin,
    )
    assert fast.status_code == 201, fast.text
    ids = []
    for pipeline_id in (fast.json()["pipeline_id"], "default"):
        created = await client.post(
            "/api/v1/opportunities",
            json={"name": "Idle", "customer_id": "c", "pipeline_id": pipeline_id},
            headers=admin,
        )
        ids.append(created.json()["opportunity_id"])
    store = components(app.state.runtime)
    five_days_ago = datetime.now(UTC) - timedelta(days=5)
    await store.opportunities.collection.update_many(
        {"_id": {"$in": ids}}, {"$set": {"stage_changed_at": five_days_ago}}
    )
    assert await alert_stalled(store, settings.stall_days, datetime.now(UTC)) == 1
    alerted = await store.opportunities.get(ids[0])
    assert alerted is not None
    assert alerted.stall_alerted_for is not None
