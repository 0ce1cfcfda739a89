"""Scheduled reports: created, changed with If-Match, e-mailed weekly over SMTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analytics.store.collections import SCHEDULES
from crm_chassis.testing import wait_until
from crm_localinfra.smtp import CapturedMessage, SmtpCapture

from ..factories import new_id
from .conftest import Service

pytestmark = pytest.mark.integration

PATH = "/api/v1/report-schedules"


async def mail_to(smtp_server: SmtpCapture, recipient: str) -> CapturedMessage:
    """Poll the capture folder without blocking the event loop the app runs on."""

    async def arrived() -> bool:
        return bool(smtp_server.messages_to(recipient))

    await wait_until(arrived, timeout=15, what=f"mail to {recipient}")
    return smtp_server.messages_to(recipient)[0]


def far_weekday() -> int:
    """A weekday three days from today (UTC): a schedule on it falls due two to four
    days ahead, never while a test runs (the scheduler polls every 0.2 s here; a fixed
    Monday 08:00 fell due mid-test when run just before it, mailing and bumping the
    version). A test that wants a due schedule backdates its ``next_run_at``."""
    return (datetime.now(UTC).weekday() + 3) % 7


def schedule_body(recipient: str, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Weekly funnel",
        "report": "funnel",
        "format": "xlsx",
        "recipients": [recipient],
        "weekday": far_weekday(),
        "hour": 8,
    }
    return body | fields


async def test_sending_a_schedule_now_mails_the_report_and_announces_the_delivery(
    service: Service, smtp_server: SmtpCapture
) -> None:
    recipient = f"{new_id('boss')}@example.org"
    body = schedule_body(recipient)
    created = await service.client.post(PATH, json=body, headers=service.analyst)
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"1"'
    schedule = created.json()
    assert datetime.fromisoformat(schedule["next_run_at"]).weekday() == body["weekday"]

    sent = await service.client.post(f"{PATH}/{schedule['id']}/deliveries", headers=service.analyst)
    assert sent.status_code == 202, sent.text
    assert sent.json()["deliveries"] == 1
    assert sent.json()["next_run_at"] == schedule["next_run_at"]

    message = await mail_to(smtp_server, recipient)
    assert "Weekly funnel" in message.subject
    names = {part.get_filename() for part in message.message.iter_attachments()}
    assert names == {"funnel.xlsx", "funnel.png"}

    async def announced() -> bool:
        return any(
            e["type"] == "crm.analytics.report.delivered.v1"
            and e["data"]["schedule_id"] == schedule["id"]
            for e in service.bus.received
        )

    await wait_until(announced, timeout=10, what="report.delivered published")


async def test_a_due_schedule_is_sent_by_the_scheduler_and_moved_a_week_on(
    service: Service, smtp_server: SmtpCapture
) -> None:
    recipient = f"{new_id('team')}@example.org"
    body = schedule_body(recipient, report="support", format="csv")
    created = (await service.client.post(PATH, json=body, headers=service.analyst)).json()
    due = datetime.now(UTC) - timedelta(minutes=1)
    await service.parts.store.db[SCHEDULES].update_one(
        {"_id": created["id"]}, {"$set": {"next_run_at": due}}
    )
    message = await mail_to(smtp_server, recipient)
    attachment = next(
        p for p in message.message.iter_attachments() if p.get_filename() == "support.csv"
    )
    assert attachment.get_content().lstrip("\ufeff").startswith("period,opened,resolved")

    async def moved() -> bool:
        stored = await service.client.get(f"{PATH}/{created['id']}", headers=service.analyst)
        deliveries: int = stored.json()["deliveries"]
        return deliveries == 1

    await wait_until(moved, timeout=10, what="delivery recorded")
    stored = (await service.client.get(f"{PATH}/{created['id']}", headers=service.analyst)).json()
    assert datetime.fromisoformat(stored["next_run_at"]) > datetime.now(UTC)


async def test_changing_a_schedule_needs_the_current_etag(service: Service) -> None:
    body = schedule_body("a@example.org")
    created = (await service.client.post(PATH, json=body, headers=service.analyst)).json()
    url = f"{PATH}/{created['id']}"
    changed = await service.client.patch(
        url, json={"hour": 9}, headers={**service.analyst, "If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    stale = await service.client.patch(
        url, json={"hour": 10}, headers={**service.analyst, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    missing = await service.client.patch(url, json={"hour": 10}, headers=service.analyst)
    assert missing.status_code == 428


async def test_invalid_schedules_are_refused_with_field_paths(service: Service) -> None:
    body = schedule_body("not-an-address", weekday=9)
    response = await service.client.post(PATH, json=body, headers=service.analyst)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"body.recipients.0", "body.weekday"} <= fields
    listed = (await service.client.get(PATH, headers=service.analyst)).json()
    assert listed["total"] == 0


async def test_a_recipient_with_a_control_character_is_refused_when_stored_with_422(
    service: Service,
) -> None:
    bad = "boss\x1dreports@example.org"  # U+001D: the mail library refuses it in To
    created = await service.client.post(PATH, json=schedule_body(bad), headers=service.analyst)
    assert created.status_code == 422, created.text
    assert created.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in created.json()["errors"]] == ["body.recipients.0"]

    good = (
        await service.client.post(
            PATH, json=schedule_body("boss@example.org"), headers=service.analyst
        )
    ).json()
    changed = await service.client.patch(
        f"{PATH}/{good['id']}",
        json={"recipients": ["ok@example.org", bad]},
        headers={**service.analyst, "If-Match": '"1"'},
    )
    assert changed.status_code == 422, changed.text
    assert [e["field"] for e in changed.json()["errors"]] == ["body.recipients.1"]
    stored = (await service.client.get(f"{PATH}/{good['id']}", headers=service.analyst)).json()
    assert stored["recipients"] == ["boss@example.org"]


async def test_sending_a_schedule_with_a_stored_invalid_recipient_answers_409_not_500(
    service: Service,
) -> None:
    created = (
        await service.client.post(
            PATH, json=schedule_body("boss@example.org"), headers=service.analyst
        )
    ).json()
    # As stored before addresses were checked on the way in.
    await service.parts.store.db[SCHEDULES].update_one(
        {"_id": created["id"]},
        {"$set": {"recipients": ["boss@example.org", "line\nbreak@example.org"]}},
    )
    sent = await service.client.post(f"{PATH}/{created['id']}/deliveries", headers=service.analyst)
    assert sent.status_code == 409, sent.text
    assert sent.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in sent.json()["errors"]] == ["recipients.1"]
    stored = (await service.client.get(f"{PATH}/{created['id']}", headers=service.analyst)).json()
    assert stored["deliveries"] == 0


async def test_deleting_a_schedule_needs_its_current_etag_and_leaves_it_unknown(
    service: Service,
) -> None:
    created = await service.client.post(
        PATH, json=schedule_body("a@example.org"), headers=service.analyst
    )
    url = f"{PATH}/{created.json()['id']}"
    stale = await service.client.delete(url, headers={**service.analyst, "If-Match": '"7"'})
    assert stale.status_code == 412, stale.text
    assert stale.json()["type"].endswith("/precondition-failed")
    deleted = await service.client.delete(url, headers={**service.analyst, "If-Match": '"1"'})
    assert deleted.status_code == 204, deleted.text

    gone = await service.client.get(url, headers=service.analyst)
    assert gone.status_code == 404
    assert gone.json()["type"].endswith("/not-found")
    again = await service.client.delete(url, headers={**service.analyst, "If-Match": '"1"'})
    assert again.status_code == 404
