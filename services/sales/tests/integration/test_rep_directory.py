"""The roster of reps follows the gateway's user directory (crm.gateway.user.changed.v1):
people given a sales role become reps leads can be assigned to, deactivated ones are no
longer assigned, the newest account version wins, and an admin's routing attributes stay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crm_chassis.events import metrics
from crm_chassis.testing import RunningService, wait_until
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.gateway import UserChanged
from crm_contracts.events.registry import to_cloud_event
from sales.settings import Settings

pytestmark = pytest.mark.integration

Publish = Callable[[UserChanged], Any]


def user(user_id: str, version: int, **changes: Any) -> UserChanged:
    values: dict[str, Any] = {
        "user_id": user_id,
        "email": f"{user_id}@example.cn",
        "display_name": f"Rep {user_id}",
        "roles": ["sales_rep"],
        "team": "north",
        "active": True,
        "version": version,
        "changed_at": datetime.now(UTC),
    }
    return UserChanged(**{**values, **changes})


async def roster(
    client: httpx.AsyncClient, admin: dict[str, str], team: str | None = None
) -> dict[str, dict[str, Any]]:
    params = {} if team is None else {"team": team}
    response = await client.get("/api/v1/lead-routing-reps", params=params, headers=admin)
    assert response.status_code == 200, response.text
    return {rep["rep_id"]: rep for rep in response.json()}


async def listed(
    client: httpx.AsyncClient, admin: dict[str, str], rep_id: str, **expected: Any
) -> dict[str, Any]:
    """The rep once the roster shows it with ``expected`` (polled with a deadline)."""

    async def shown() -> bool:
        rep = (await roster(client, admin)).get(rep_id)
        return rep is not None and all(rep[key] == value for key, value in expected.items())

    await wait_until(shown, timeout=15, interval=0.05, what=f"{rep_id} on the roster")
    return (await roster(client, admin))[rep_id]


async def new_lead(client: httpx.AsyncClient, admin: dict[str, str], name: str) -> dict[str, Any]:
    created = await client.post("/api/v1/leads", json={"name": name}, headers=admin)
    assert created.status_code == 201, created.text
    return dict(created.json())


async def assign(
    client: httpx.AsyncClient, admin: dict[str, str], lead_id: str, owner_id: str
) -> httpx.Response:
    return await client.put(
        f"/api/v1/leads/{lead_id}/assignment", json={"owner_id": owner_id}, headers=admin
    )


def handled(settings: Settings) -> float:
    """How many user.changed deliveries this test's service has handled."""
    sample = metrics.EVENTS_CONSUMED.labels(settings.service_name, UserChanged.TYPE, "handled")
    return float(sample._value.get())


async def test_a_user_given_the_sales_rep_role_can_be_assigned_a_lead(
    client: httpx.AsyncClient, admin: dict[str, str], publish: Publish
) -> None:
    lead = await new_lead(client, admin, "Zhang Wei")
    # Before the directory speaks, sales knows no such rep.
    refused = await assign(client, admin, lead["lead_id"], "user-li")
    assert refused.status_code == 404

    await publish(user("user-li", 1, display_name="Li Lei"))

    answers: list[httpx.Response] = []

    async def assigned() -> bool:
        answers.append(await assign(client, admin, lead["lead_id"], "user-li"))
        return answers[-1].status_code != 404

    await wait_until(assigned, timeout=15, interval=0.05, what="user-li assignable")
    assert answers[-1].status_code == 200, answers[-1].text
    assert (answers[-1].json()["owner_id"], answers[-1].json()["team"]) == ("user-li", "north")
    rep = (await roster(client, admin))["user-li"]
    assert (rep["name"], rep["team"], rep["active"]) == ("Li Lei", "north", True)
    assert (rep["skills"], rep["senior"], rep["manager_id"]) == ([], False, None)


async def test_a_deactivated_or_former_rep_is_refused_and_skipped_by_routing(
    client: httpx.AsyncClient, admin: dict[str, str], publish: Publish
) -> None:
    rule = await client.post(
        "/api/v1/lead-routing-rules",
        json={"name": "All to North", "position": 1, "target": {"team": "north"}},
        headers=admin,
    )
    assert rule.status_code == 201, rule.text
    for user_id in ("user-a", "user-b", "user-c"):
        await publish(user(user_id, 1))
    for user_id in ("user-a", "user-b", "user-c"):
        await listed(client, admin, user_id, active=True)

    await publish(user("user-a", 2, active=False))
    await publish(user("user-b", 2, roles=["support_agent"], team="north"))
    await listed(client, admin, "user-a", active=False)
    await listed(client, admin, "user-b", active=False)

    lead = await new_lead(client, admin, "Wang Fang")
    assert lead["owner_id"] == "user-c"
    for former in ("user-a", "user-b"):
        refused = await assign(client, admin, lead["lead_id"], former)
        assert refused.status_code == 404
        assert refused.json()["detail"] == "No active rep with that id."
    # Least-loaded would pick user-a or user-b next (no lead each); it never does.
    owners = {(await new_lead(client, admin, f"Lead {n}"))["owner_id"] for n in range(4)}
    assert owners == {"user-c"}
    # Kept on the roster, inactive, so their names still resolve.
    assert {"user-a", "user-b", "user-c"} <= set(await roster(client, admin, "north"))


async def test_an_older_or_repeated_entry_after_a_newer_one_changes_nothing(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    sales: RunningService[Settings],
    settings: Settings,
) -> None:
    async def deliver(*events: CloudEvent) -> None:
        before = handled(settings)
        for event in events:
            await sales.bus.publish_event(event)
        await wait_until(
            lambda: handled(settings) >= before + len(events),
            timeout=15,
            what="user events handled",
        )

    newer = to_cloud_event(user("user-old", 3, active=False, team="south"))
    older = to_cloud_event(user("user-old", 2, team="east"))
    await deliver(newer, older, newer)
    rep = (await roster(client, admin))["user-old"]
    assert (rep["active"], rep["team"]) == (False, "south")

    # Someone who stopped selling before sales heard they once did is never a rep.
    stopped = to_cloud_event(user("user-agent", 2, roles=["support_agent"]))
    sold = to_cloud_event(user("user-agent", 1))
    await deliver(stopped, sold, sold)
    assert "user-agent" not in await roster(client, admin)
    lead = await new_lead(client, admin, "Chen Jing")
    assert (await assign(client, admin, lead["lead_id"], "user-agent")).status_code == 404
    assert (await assign(client, admin, lead["lead_id"], "user-old")).status_code == 404


async def test_routing_attributes_an_admin_set_survive_a_directory_change(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    sales: RunningService[Settings],
    settings: Settings,
) -> None:
    hired = to_cloud_event(user("user-skill", 1))
    await sales.bus.publish_event(hired)
    await listed(client, admin, "user-skill", team="north")
    entered = await client.put(
        "/api/v1/lead-routing-reps/user-skill",
        json={
            "name": "Set by hand",
            "team": "north",
            "manager_id": "mgr-north",
            "skills": ["mandarin", "erp"],
            "senior": True,
        },
        headers=admin,
    )
    assert entered.status_code == 200, entered.text

    await sales.bus.publish_event(
        to_cloud_event(user("user-skill", 2, team="south", display_name="Li Lei"))
    )
    rep = await listed(client, admin, "user-skill", team="south")

    assert (rep["name"], rep["active"]) == ("Li Lei", True)  # the directory wins
    attributes = (rep["skills"], rep["senior"], rep["manager_id"])
    assert attributes == (["mandarin", "erp"], True, "mgr-north")

    # The admin's edit kept the directory's stamp: the first entry, redelivered, is older.
    before = handled(settings)
    await sales.bus.publish_event(hired)
    await wait_until(lambda: handled(settings) > before, timeout=15, what="redelivery handled")
    assert (await roster(client, admin))["user-skill"] == rep
