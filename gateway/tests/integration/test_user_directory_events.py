"""The user directory as events: every account change others need to know of is
published as crm.gateway.user.changed.v1, written with the change itself (outbox)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from crm_chassis.testing import EventProbe, auth_header, wait_until
from crm_contracts.events.gateway import UserChanged
from gateway.settings import Settings

from .conftest import admin_token, running_gateway

pytestmark = pytest.mark.integration

CHANGED = UserChanged.TYPE


def _exchange(gateway: httpx.AsyncClient) -> str:
    settings: Settings = gateway.app.state.settings  # type: ignore[attr-defined]
    return settings.events.exchange


def _of(probe: EventProbe, user_id: str) -> list[dict[str, Any]]:
    """The data of ``user_id``'s directory events, in version order."""
    events = [event["data"] for event in probe.of_type(CHANGED) if event["subject"] == user_id]
    return sorted(events, key=lambda data: int(data["version"]))


async def _wait_for_version(probe: EventProbe, user_id: str, version: int) -> None:
    await wait_until(
        lambda: any(data["version"] == version for data in _of(probe, user_id)),
        timeout=10,
        what=f"version {version} of {user_id} announced",
    )


async def _create(
    gateway: httpx.AsyncClient, admin: str, email: str, **fields: Any
) -> httpx.Response:
    body = {"email": email, "password": "a-long-password-1", "roles": ["sales_rep"], **fields}
    return await gateway.post("/api/v1/users", json=body, headers=auth_header(admin))


async def _patch(
    gateway: httpx.AsyncClient, admin: str, user_id: str, body: dict[str, Any], version: int
) -> httpx.Response:
    return await gateway.patch(
        f"/api/v1/users/{user_id}",
        json=body,
        headers={**auth_header(admin), "If-Match": f'"{version}"'},
    )


async def test_the_seeded_administrator_is_announced(
    gateway_settings: Callable[..., Settings], amqp_url: str
) -> None:
    settings = gateway_settings()
    async with running_gateway(settings):  # declares the exchange the probe listens on
        pass
    second = gateway_settings(admin_email="second-admin@crm.local")

    async with (
        EventProbe(amqp_url, settings.events.exchange, watch=CHANGED) as probe,
        running_gateway(second),
    ):
        events = await probe.wait_for(CHANGED)

    assert len(events) == 1
    data = events[0]["data"]
    assert data["email"] == "second-admin@crm.local"
    assert data["roles"] == ["admin"]
    assert data["active"] is True
    assert data["version"] == 1
    assert events[0]["subject"] == data["user_id"]


async def test_each_change_gives_one_event_with_the_new_state(
    gateway: httpx.AsyncClient, amqp_url: str
) -> None:
    admin = await admin_token(gateway)
    async with EventProbe(amqp_url, _exchange(gateway), watch=CHANGED) as probe:
        created = await _create(gateway, admin, "li.lei@crm.local", display_name="Li Lei")
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        steps: list[dict[str, Any]] = [
            {"roles": ["sales_rep", "support_agent"]},
            {"team": "north"},
            {"display_name": "Li Lei (north)"},
            {"email": "lei.li@crm.local"},
            {"active": False},
            {"password": "another-long-password"},  # not announced
            {"active": True},
        ]
        for version, body in enumerate(steps, start=1):
            patched = await _patch(gateway, admin, user_id, body, version)
            assert patched.status_code == 200, patched.text
        await _wait_for_version(probe, user_id, 8)

    events = _of(probe, user_id)
    assert [data["version"] for data in events] == [1, 2, 3, 4, 5, 6, 8]
    first, roles, team, name, email, deactivated, reactivated = events
    assert first["email"] == "li.lei@crm.local"
    assert first["display_name"] == "Li Lei"
    assert first["roles"] == ["sales_rep"]
    assert first["team"] is None
    assert roles["roles"] == ["sales_rep", "support_agent"]
    assert team["team"] == "north"
    assert name["display_name"] == "Li Lei (north)"
    assert email["email"] == "lei.li@crm.local"
    assert deactivated["active"] is False
    assert deactivated["team"] == "north"
    assert reactivated["active"] is True
    assert reactivated["email"] == "lei.li@crm.local"
    assert all(UserChanged.model_validate(data).user_id == user_id for data in events)


async def test_the_email_an_administrator_sets_is_the_one_to_sign_in_with(
    gateway: httpx.AsyncClient,
) -> None:
    admin = await admin_token(gateway)
    created = await _create(gateway, admin, "old.name@crm.local")
    user_id = created.json()["id"]

    patched = await _patch(gateway, admin, user_id, {"email": " New.Name@CRM.local "}, 1)
    old = await gateway.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "old.name@crm.local",
            "password": "a-long-password-1",
        },
    )
    new = await gateway.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "new.name@crm.local",
            "password": "a-long-password-1",
        },
    )

    assert patched.status_code == 200
    assert patched.json()["email"] == "new.name@crm.local"
    assert old.status_code == 400
    assert new.status_code == 200


async def test_nothing_is_published_when_a_change_is_refused(
    gateway: httpx.AsyncClient, amqp_url: str
) -> None:
    admin = await admin_token(gateway)
    me = (await gateway.get("/api/v1/auth/me", headers=auth_header(admin))).json()
    async with EventProbe(amqp_url, _exchange(gateway), watch=CHANGED) as probe:
        created = await _create(gateway, admin, "rep@crm.local")
        user_id = created.json()["id"]
        taken = await _create(gateway, admin, "other@crm.local")
        other_id = taken.json()["id"]

        refused = {
            "duplicate e-mail on create": await _create(gateway, admin, "REP@crm.local"),
            "manager without a team": await _patch(
                gateway, admin, user_id, {"roles": ["sales_manager"]}, 1
            ),
            "stale If-Match": await _patch(gateway, admin, user_id, {"team": "north"}, 7),
            "e-mail of another account": await _patch(
                gateway, admin, user_id, {"email": "other@crm.local"}, 1
            ),
            "null display name": await _patch(gateway, admin, user_id, {"display_name": None}, 1),
            "own deactivation": await _patch(gateway, admin, me["subject"], {"active": False}, 1),
        }
        accepted = await _patch(gateway, admin, user_id, {"display_name": "Rep"}, 1)
        assert accepted.status_code == 200, accepted.text
        await _wait_for_version(probe, user_id, 2)
        await _wait_for_version(probe, other_id, 1)

    assert {reason: response.status_code for reason, response in refused.items()} == {
        "duplicate e-mail on create": 409,
        "manager without a team": 422,
        "stale If-Match": 412,
        "e-mail of another account": 409,
        "null display name": 422,
        "own deactivation": 422,
    }
    assert [(data["version"], data["display_name"]) for data in _of(probe, user_id)] == [
        (1, ""),
        (2, "Rep"),
    ]
    assert [data["version"] for data in _of(probe, other_id)] == [1]
    # The administrator's own creation may be among them (seeded at start), no change.
    assert [data["version"] for data in _of(probe, me["subject"])] in ([], [1])
    subjects = {event["subject"] for event in probe.of_type(CHANGED)}
    assert subjects <= {user_id, other_id, me["subject"]}


async def test_accounts_stored_before_the_directory_are_announced_once(
    gateway_settings: Callable[..., Settings], amqp_url: str
) -> None:
    settings = gateway_settings()
    async with running_gateway(settings) as gateway:
        rep = (await _create(gateway, await admin_token(gateway), "old.rep@crm.local")).json()
    # As the gateway stored accounts before it announced them: no mark on either.
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongo_url.get_secret_value()
    )
    users = client[settings.mongo_db]["users"]
    await users.update_many({}, {"$unset": {"_directory_announced": ""}})
    admin_id = (await users.find_one({"email": settings.admin_email}))["_id"]  # type: ignore[index]

    async with EventProbe(amqp_url, settings.events.exchange, watch=CHANGED) as probe:
        async with running_gateway(settings):
            await wait_until(
                lambda: {rep["id"], admin_id} <= {e["subject"] for e in probe.of_type(CHANGED)},
                timeout=10,
                what="both stored accounts announced",
            )
        async with running_gateway(settings):  # a restart announces nobody again
            pass
        announced = [event["subject"] for event in probe.of_type(CHANGED)]
    unmarked = await users.count_documents({"_directory_announced": {"$exists": False}})
    await client.close()

    assert sorted(announced) == sorted([rep["id"], admin_id])
    assert unmarked == 0
