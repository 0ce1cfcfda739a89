"""A user an administrator creates through the gateway becomes a sales rep leads can be
assigned to, once sales has heard of them (crm.gateway.user.changed.v1); deactivated,
they are no longer assigned."""

from __future__ import annotations

import uuid

import httpx
import pytest

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform
from crm_e2e.journeys import capture_lead, change, ok

pytestmark = pytest.mark.e2e


async def assignment(admin: httpx.AsyncClient, lead_id: str, owner_id: str) -> httpx.Response:
    """Assign the lead to ``owner_id`` with the lead's current ETag."""
    read = await admin.get(f"/api/v1/leads/{lead_id}")
    ok(read)
    return await admin.put(
        f"/api/v1/leads/{lead_id}/assignment",
        json={"owner_id": owner_id},
        headers={"If-Match": read.headers["ETag"]},
    )


async def test_a_user_created_as_sales_rep_is_assigned_a_lead_until_deactivated(
    platform: Platform,
) -> None:
    suffix = uuid.uuid4().hex[:8]
    async with platform.admin() as admin:
        user = ok(
            await admin.post(
                "/api/v1/users",
                json={
                    "email": f"rep-{suffix}@example.cn",
                    "password": "correct horse battery",
                    "display_name": "Li Lei",
                    "roles": ["sales_rep"],
                    "team": f"north-{suffix}",
                },
            ),
            201,
        )
        user_id = user["id"]
        lead_id = await capture_lead(admin, "Zhang Wei", f"zw-{suffix}@example.cn", "Acme")

        answers: list[httpx.Response] = []

        async def assigned() -> bool:
            answers.append(await assignment(admin, lead_id, user_id))
            return answers[-1].status_code != 404

        await wait_until(assigned, timeout=15, interval=0.1, what="sales knows the new rep")
        body = ok(answers[-1], 200)
        assert (body["owner_id"], body["team"]) == (user_id, f"north-{suffix}")

        await change(admin, "PATCH", f"/api/v1/users/{user_id}", {"active": False})
        second = await capture_lead(admin, "Wang Fang", f"wf-{suffix}@example.cn", "Acme")

        async def refused() -> bool:
            return (await assignment(admin, second, user_id)).status_code == 404

        await wait_until(refused, timeout=15, interval=0.1, what="sales hears of the deactivation")
        reps = ok(await admin.get("/api/v1/lead-routing-reps", params={"team": f"north-{suffix}"}))
        assert [(rep["rep_id"], rep["active"]) for rep in reps] == [(user_id, False)]
