"""Preferences through HTTP: defaults, a whole document replaced, 422 naming the field,
and what they decide when an alert comes: no item for a kind with no channel, an item
only for mail when mail is the one channel, texts in the person's language, mail held
by quiet hours."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.events import support
from notifications.settings import Settings

from .conftest import NOW, Notifications

pytestmark = pytest.mark.integration

ALL_KINDS = {
    "lead_assigned",
    "opportunity_stalled",
    "task_assigned",
    "task_reminder",
    "ticket_assigned",
    "ticket_escalated",
    "sla_warning",
    "sla_breached",
    "invoice_overdue",
    "import_finished",
    "import_failed",
    "campaign_finished",
    "dead_letters_parked",
}


def document(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "language": "en",
        "time_zone": "Europe/Berlin",
        "quiet_hours": {"start": "22:00", "end": "07:00"},
        "digest": {"enabled": False, "at": "08:00"},
        "channels": {},
    }
    return {**body, **changes}


async def test_defaults_then_a_whole_document_replaces_them(notifications: Notifications) -> None:
    me = notifications.as_person("agent-1")

    defaults = await notifications.client.get("/api/v1/notification-preferences", headers=me)
    saved = await notifications.client.put(
        "/api/v1/notification-preferences",
        json=document(channels={"sla_warning": ["email", "console"], "lead_assigned": []}),
        headers=me,
    )
    read_back = await notifications.client.get("/api/v1/notification-preferences", headers=me)

    assert defaults.status_code == 200
    body = defaults.json()
    assert body["language"] == "zh-CN"
    assert body["time_zone"] == "Asia/Shanghai"
    assert body["quiet_hours"] is None
    assert body["digest"] == {"enabled": False, "at": "08:00"}
    assert set(body["channels"]) == ALL_KINDS
    assert body["channels"]["lead_assigned"] == ["console"]
    assert body["channels"]["sla_breached"] == ["console", "email"]
    assert saved.status_code == 200
    assert read_back.json() == saved.json()
    assert saved.json()["channels"]["sla_warning"] == ["console", "email"]
    assert saved.json()["channels"]["lead_assigned"] == []
    assert saved.json()["channels"]["ticket_escalated"] == ["console", "email"]
    assert saved.json()["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    other = await notifications.client.get(
        "/api/v1/notification-preferences", headers=notifications.as_person("agent-2")
    )
    assert other.json()["language"] == "zh-CN"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (document(time_zone="Mars/Olympus"), "body.time_zone"),
        (document(time_zone="../etc/passwd"), "body.time_zone"),
        (document(quiet_hours={"start": "24:00", "end": "07:00"}), "body.quiet_hours.start"),
        (document(quiet_hours={"start": "22:00", "end": "7"}), "body.quiet_hours.end"),
        (document(quiet_hours={"start": "22:00", "end": "22:00"}), "body.quiet_hours"),
        (document(digest={"enabled": True, "at": "8:00am"}), "body.digest.at"),
        (document(language="fr"), "body.language"),
        (document(channels={"lead_assigned": ["sms"]}), "body.channels.lead_assigned.0"),
        (document(channels={"lead_assigned": ["email", "email"]}), "body.channels"),
        (document(channels={"coffee_ready": ["email"]}), "body.channels.coffee_ready.[key]"),
        (document(colour="blue"), "body.colour"),
        ({"language": "en"}, "body.time_zone"),
    ],
)
async def test_a_bad_document_is_refused_naming_the_field(
    notifications: Notifications, body: dict[str, Any], field: str
) -> None:
    me = notifications.as_person("rep-1")

    answer = await notifications.client.put(
        "/api/v1/notification-preferences", json=body, headers=me
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in answer.json()["errors"]]
    kept = await notifications.client.get("/api/v1/notification-preferences", headers=me)
    assert kept.json()["language"] == "zh-CN"


async def test_what_preferences_decide_when_an_alert_comes(
    notifications: Notifications,
    people: Callable[[Notifications], Awaitable[None]],
    consumed: Callable[[Settings, str], float],
) -> None:
    await people(notifications)
    choices = {
        "agent-1": document(channels={"sla_breached": []}),
        "agent-3": document(channels={"sla_breached": ["email"]}, quiet_hours=None),
        "admin-1": document(
            time_zone="Asia/Shanghai", quiet_hours={"start": "00:00", "end": "23:59"}
        ),
    }
    for user_id, body in choices.items():
        answer = await notifications.client.put(
            "/api/v1/notification-preferences", json=body, headers=notifications.as_person(user_id)
        )
        assert answer.status_code == 200
    before = consumed(notifications.settings, support.SlaBreached.TYPE)

    await notifications.bus.publish(
        support.SlaBreached(
            ticket_id="K7",
            team="tier1",
            subject="Printer on fire",
            clock="resolution",
            due_at=NOW,
            breached_at=NOW,
        )
    )

    await wait_until(
        lambda: consumed(notifications.settings, support.SlaBreached.TYPE) > before,
        timeout=10,
        what="the breach handled",
    )
    stored = {
        item["recipient"]: item async for item in notifications.collection("notifications").find({})
    }
    # agent-1 wants nothing of this kind; agent-2 has the defaults; admin-1 (admins are
    # told of every breach) is in quiet hours almost all day in Shanghai.
    assert set(stored) == {"agent-2", "admin-1"}
    assert stored["agent-2"]["console"] is True
    assert stored["agent-2"]["mail"]["state"] == "pending"
    assert stored["agent-2"]["title"] == "SLA 已超时：Printer on fire"  # noqa: RUF001
    assert stored["admin-1"]["title"] == "SLA breached: Printer on fire"
    assert stored["admin-1"]["body"] == (
        "The resolution deadline of ticket Printer on fire passed at 2026-06-01 17:00."
    )
    assert stored["admin-1"]["mail"]["state"] == "held_until"
    held_until: datetime = stored["admin-1"]["mail"]["due_at"]
    assert held_until.utcoffset() is not None
    assert held_until > stored["admin-1"]["created_at"]
    assert await notifications.inbox("agent-1") == []

    await notifications.bus.publish(
        support.SlaBreached(
            ticket_id="K8",
            assignee_id="agent-3",
            clock="resolution",
            due_at=NOW,
            breached_at=NOW,
        )
    )

    async def mailed_only() -> bool:
        found: int = await notifications.collection("notifications").count_documents(
            {"recipient": "agent-3"}
        )
        return found == 1

    await wait_until(mailed_only, timeout=10, what="agent-3's item")
    item = await notifications.collection("notifications").find_one({"recipient": "agent-3"})
    assert item is not None
    assert item["console"] is False
    assert item["mail"]["state"] == "pending"
    assert await notifications.inbox("agent-3") == []
    count = await notifications.client.get(
        "/api/v1/notifications/unread-count", headers=notifications.as_person("agent-3")
    )
    assert count.json() == {"unread": 0}
