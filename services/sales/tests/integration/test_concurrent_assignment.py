"""Least-loaded assignment under concurrency, with two replicas sharing one database."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from sales.app import create_app
from sales.settings import Settings

pytestmark = pytest.mark.integration

LEADS = 500
REPS = [f"rep-{n}" for n in range(7)]


async def test_500_concurrent_leads_are_each_assigned_once_with_loads_within_one(
    app: FastAPI, settings: Settings, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for rep_id in REPS:
        await client.put(
            f"/api/v1/lead-routing-reps/{rep_id}",
            json={"name": rep_id, "team": "inside-sales"},
            headers=admin,
        )
    await client.post(
        "/api/v1/lead-routing-rules",
        json={"name": "everyone", "position": 1, "target": {"team": "inside-sales"}},
        headers=admin,
    )
    second_replica = create_app(settings)
    async with (
        LifespanManager(second_replica, startup_timeout=30, shutdown_timeout=30),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=second_replica), base_url="http://sales-2"
        ) as client_2,
    ):
        limit = asyncio.Semaphore(20)

        async def capture(n: int) -> Any:
            async with limit:
                replica = client if n % 2 else client_2
                response = await replica.post(
                    "/api/v1/leads",
                    json={"name": f"Prospect {n}", "email": f"p{n}@example.com"},
                    headers=admin,
                )
                assert response.status_code == 201, response.text
                return response.json()

        created = await asyncio.gather(*(capture(n) for n in range(LEADS)))

    assert len({lead["lead_id"] for lead in created}) == LEADS
    stored = []
    for offset in range(0, LEADS, 200):
        page = await client.get(
            "/api/v1/leads", params={"offset": offset, "limit": 200}, headers=admin
        )
        stored += page.json()["items"]
    assert len(stored) == LEADS
    assert all(lead["owner_id"] in REPS for lead in stored)
    per_rep = Counter(lead["owner_id"] for lead in stored)
    assert max(per_rep.values()) - min(per_rep.values()) <= 1
    reps = (await client.get("/api/v1/lead-routing-reps", headers=admin)).json()
    assert {rep["rep_id"]: rep["open_leads"] for rep in reps} == dict(per_rep)
