"""SLAs (T-4): targets by tier, pausing while waiting on the customer, and breaches
announced exactly once even with two replicas scanning the same database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from crm_chassis.testing import EventProbe, wait_until
from crm_contracts.events.customer import CustomerCreated, CustomerTierChanged
from support.components import sla_scanner
from support.operations.sla_scanner import SlaScanner

pytestmark = pytest.mark.integration

BREACHED = "crm.support.sla.breached.v1"
WARNED = "crm.support.sla.warning.v1"


async def test_vip_ticket_gets_four_hour_first_response_sla(
    support: Any, add_customers: Any, bodies: SimpleNamespace
) -> None:
    now = datetime.now(UTC)
    await add_customers(
        CustomerCreated(
            customer_id="c-vip", member_id="VIP001", name="Zhang", tier="VIP", created_at=now
        ),
        CustomerCreated(customer_id="c-normal", member_id="VIP002", name="Wang", created_at=now),
    )

    vip = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(customer_id="c-vip"), headers=support.auth()
    )
    normal = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(customer_id="c-normal"), headers=support.auth()
    )

    assert vip.json()["customer_tier"] == "vip"
    assert vip.json()["sla"]["first_response"]["target_seconds"] == 4 * 3600
    assert normal.json()["sla"]["first_response"]["target_seconds"] == 24 * 3600
    opened = datetime.fromisoformat(vip.json()["opened_at"])
    due = datetime.fromisoformat(vip.json()["sla"]["first_response"]["due_at"])
    assert abs((due - opened).total_seconds() - 4 * 3600) < 0.01


async def test_customer_becoming_svip_tightens_sla_of_open_ticket(
    support: Any, events: EventProbe, add_customers: Any, bodies: SimpleNamespace
) -> None:
    now = datetime.now(UTC)
    await add_customers(
        CustomerCreated(customer_id="c-1", member_id="VIP003", name="Zhao", created_at=now)
    )
    created = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(customer_id="c-1"), headers=support.auth()
    )
    ticket_id = created.json()["id"]

    await events.publish(
        CustomerTierChanged(
            customer_id="c-1",
            previous_tier="normal",
            tier="svip",
            total_consumption="6000.00",
            changed_at=now,
        )
    )

    async def tightened() -> bool:
        ticket = (
            await support.client.get(f"/api/v1/tickets/{ticket_id}", headers=support.auth())
        ).json()
        return bool(ticket["sla"]["first_response"]["target_seconds"] == 2 * 3600)

    await wait_until(tightened, timeout=15, what="SVIP targets on the open ticket")


async def test_sla_clock_pauses_while_waiting_on_customer(
    support: Any, bodies: SimpleNamespace
) -> None:
    headers = support.auth(subject="agent-1")
    ticket = (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=headers)
    ).json()
    url = f"/api/v1/tickets/{ticket['id']}"
    original_due = datetime.fromisoformat(ticket["sla"]["resolution"]["due_at"])
    await support.client.post(f"{url}/messages", json={"body": "Which browser?"}, headers=headers)

    waiting = await support.client.post(
        f"{url}/transitions", json={"to": "waiting_on_customer"}, headers=headers
    )
    assert waiting.status_code == 200, waiting.text
    paused = waiting.json()["sla"]["resolution"]
    assert paused["running"] is False
    assert paused["due_at"] is None
    assert paused["elapsed_seconds"] > 0

    resumed = await support.client.post(
        f"{url}/transitions", json={"to": "in_progress"}, headers=headers
    )
    history = resumed.json()["history"]
    paused_at = datetime.fromisoformat(history[-2]["at"])
    resumed_at = datetime.fromisoformat(history[-1]["at"])
    new_due = datetime.fromisoformat(resumed.json()["sla"]["resolution"]["due_at"])
    # The deadline moved by exactly the time spent waiting (to BSON's millisecond).
    shift = (new_due - original_due) - (resumed_at - paused_at)
    assert abs(shift.total_seconds()) < 0.005


async def test_ticket_waiting_on_customer_does_not_breach(
    support: Any, events: EventProbe, bodies: SimpleNamespace
) -> None:
    # A target far enough ahead that the pause always lands before it, however slow the
    # host; the scanner's clock then jumps past it instead of the test waiting it out.
    policy = bodies.policy(first_response_seconds=3600, resolution_seconds=60, warning_ratio=0.5)
    created = await support.client.post("/api/v1/sla-policies", json=policy, headers=support.admin)
    assert created.status_code == 201, created.text
    headers = support.auth()
    ticket = (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=headers)
    ).json()
    url = f"/api/v1/tickets/{ticket['id']}"
    due = datetime.fromisoformat(ticket["sla"]["resolution"]["due_at"])
    await support.client.post(
        f"{url}/messages", json={"body": "Please send a screenshot."}, headers=headers
    )
    waiting = await support.client.post(
        f"{url}/transitions", json={"to": "waiting_on_customer"}, headers=headers
    )
    assert waiting.status_code == 200, waiting.text
    assert datetime.now(UTC) < due  # paused before the deadline
    scanner = sla_scanner(support.runtime)
    assert isinstance(scanner, SlaScanner)
    past_deadline = due + timedelta(seconds=60)
    scanner.clock = lambda: past_deadline
    scanner.wake()
    passes = scanner.rounds

    async def scanned_past_deadline() -> bool:
        # A pass under way when the clock moved may have read the old one: two more.
        return scanner.rounds >= passes + 2

    await wait_until(scanned_past_deadline, timeout=15, what="scans after the deadline")
    stored = (await support.client.get(url, headers=headers)).json()
    assert stored["sla"]["resolution"]["breached"] is False
    assert not events.of_type(BREACHED)


async def test_breach_produces_exactly_one_event_with_two_replicas(
    make_settings: Any, start_app: Any, open_probe: Any, bodies: SimpleNamespace
) -> None:
    settings = make_settings(sla_scan_interval_seconds=0.05)
    async with (
        start_app(settings) as first,
        start_app(settings) as second,
        open_probe(settings.events.exchange) as events,
    ):
        policy = bodies.policy(first_response_seconds=1, resolution_seconds=3600)
        created = await first.client.post("/api/v1/sla-policies", json=policy, headers=first.admin)
        assert created.status_code == 201, created.text
        ticket = (
            await second.client.post("/api/v1/tickets", json=bodies.ticket(), headers=second.auth())
        ).json()
        scanners = [sla_scanner(app.runtime) for app in (first, second)]

        async def breached() -> bool:
            return bool(events.of_type(BREACHED))

        await wait_until(breached, timeout=20, what="the breach event")
        passes = [scanner.rounds for scanner in scanners]

        async def both_scanned_again() -> bool:
            return all(s.rounds >= p + 10 for s, p in zip(scanners, passes, strict=True))

        await wait_until(both_scanned_again, timeout=20, what="more scans by both replicas")

        async def outbox_drained() -> bool:
            stored = await first.runtime.db["tickets"].find_one({"_id": ticket["id"]})
            return bool(stored) and not stored.get("_outbox")

        await wait_until(outbox_drained, timeout=15, what="outbox published")
        await events.wait_for(WARNED, timeout=15)
        breaches = events.of_type(BREACHED)
        assert len(breaches) == 1
        assert breaches[0]["data"]["ticket_id"] == ticket["id"]
        assert breaches[0]["data"]["clock"] == "first_response"
        assert len(events.of_type(WARNED)) == 1
        assert sum(s.claimed for s in scanners) == 2  # one warning, one breach
        stored = (
            await first.client.get(f"/api/v1/tickets/{ticket['id']}", headers=first.auth())
        ).json()
        assert stored["sla"]["first_response"]["breached"] is True
        assert stored["sla"]["resolution"]["breached"] is False


async def test_sla_alerts_name_who_holds_the_ticket_or_its_team_on_call(
    make_settings: Any, start_app: Any, bodies: SimpleNamespace
) -> None:
    """Warnings and breaches carry the assignee (or, unassigned, the team whose agents are
    on call), the subject and the priority, so alerts reach the right people (issue #17)."""
    settings = make_settings(sla_scan_interval_seconds=0.05)
    async with start_app(settings) as support:
        policy = bodies.policy(priority="high", first_response_seconds=1, resolution_seconds=3600)
        created = await support.client.post(
            "/api/v1/sla-policies", json=policy, headers=support.admin
        )
        assert created.status_code == 201, created.text
        # The scanner's clock stands still before the tickets open until both are
        # assigned, so no alert falls due before the assignments, however slow the host.
        scanner = sla_scanner(support.runtime)
        running_clock = scanner.clock
        before_opening = datetime.now(UTC)
        scanner.clock = lambda: before_opening
        held, unheld = [
            (
                await support.client.post(
                    "/api/v1/tickets",
                    json=bodies.ticket(subject=subject, priority="high"),
                    headers=support.auth(),
                )
            ).json()
            for subject in ("Invoice portal is down", "Export stuck at 99%")
        ]
        for ticket, assignment in (
            (held, {"assignee_id": "agent-9", "team": "south"}),
            (unheld, {"team": "south"}),
        ):
            assigned = await support.client.post(
                f"/api/v1/tickets/{ticket['id']}/assignment",
                json=assignment,
                headers=support.admin,
            )
            assert assigned.status_code == 200, assigned.text
        scanner.clock = running_clock
        scanner.wake()

        for kind in (WARNED, BREACHED):
            await support.bus.wait_for(kind, count=2, timeout=20)
            published = support.bus.of_type(kind)
            alerts = {event["data"]["ticket_id"]: event["data"] for event in published}
            assert set(alerts) == {held["id"], unheld["id"]}
            assert {
                key: alerts[held["id"]][key]
                for key in ("assignee_id", "team", "subject", "priority", "clock")
            } == {
                "assignee_id": "agent-9",
                "team": "south",
                "subject": "Invoice portal is down",
                "priority": "high",
                "clock": "first_response",
            }
            assert (alerts[unheld["id"]]["assignee_id"], alerts[unheld["id"]]["team"]) == (
                None,
                "south",
            )
            assert alerts[unheld["id"]]["subject"] == "Export stuck at 99%"


async def test_policy_counts_in_its_business_calendar_skipping_holidays(
    support: Any, bodies: SimpleNamespace
) -> None:
    today = datetime.now(UTC).date()
    calendar = {
        "name": "Open daily, closed today and tomorrow",
        "timezone": "UTC",
        "hours": [{"weekday": day, "start": "00:00:00", "end": "23:59:59"} for day in range(7)],
        "holidays": [today.isoformat(), (today + timedelta(days=1)).isoformat()],
    }
    created = await support.client.post(
        "/api/v1/business-calendars", json=calendar, headers=support.admin
    )
    assert created.status_code == 201, created.text
    policy = bodies.policy(first_response_seconds=3600, calendar_id=created.json()["id"])
    assert (
        await support.client.post("/api/v1/sla-policies", json=policy, headers=support.admin)
    ).status_code == 201

    ticket = (
        await support.client.post("/api/v1/tickets", json=bodies.ticket(), headers=support.auth())
    ).json()

    reopening = datetime.combine(today + timedelta(days=2), datetime.min.time(), UTC)
    due = datetime.fromisoformat(ticket["sla"]["first_response"]["due_at"])
    assert due == reopening + timedelta(hours=1)


async def test_the_opening_announces_the_first_response_due_by_the_policy_and_its_calendar(
    support: Any, events: EventProbe, bodies: SimpleNamespace
) -> None:
    """The acknowledgement mailed to the customer names when the first answer is due
    (issue #17): the deadline of the policy that applies, counted in its calendar."""
    today = datetime.now(UTC).date()
    calendar = {
        "name": "Closed today and tomorrow",
        "timezone": "UTC",
        "hours": [{"weekday": day, "start": "00:00:00", "end": "23:59:59"} for day in range(7)],
        "holidays": [today.isoformat(), (today + timedelta(days=1)).isoformat()],
    }
    created = await support.client.post(
        "/api/v1/business-calendars", json=calendar, headers=support.admin
    )
    assert created.status_code == 201, created.text
    policy = bodies.policy(
        priority="high", first_response_seconds=2 * 3600, calendar_id=created.json()["id"]
    )
    stored_policy = await support.client.post(
        "/api/v1/sla-policies", json=policy, headers=support.admin
    )
    assert stored_policy.status_code == 201, stored_policy.text

    response = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(priority="high"), headers=support.auth()
    )
    assert response.status_code == 201, response.text
    ticket = response.json()

    [opened] = await events.wait_for("crm.support.ticket.opened.v1")
    assert opened["data"]["ticket_id"] == ticket["id"]
    due = datetime.fromisoformat(opened["data"]["first_response_due"])
    reopening = datetime.combine(today + timedelta(days=2), datetime.min.time(), UTC)
    assert due == reopening + timedelta(hours=2)
    assert due == datetime.fromisoformat(ticket["sla"]["first_response"]["due_at"])


async def test_policy_naming_an_unknown_calendar_is_refused(
    support: Any, bodies: SimpleNamespace
) -> None:
    policy = bodies.policy(calendar_id="no-such-calendar")
    response = await support.client.post("/api/v1/sla-policies", json=policy, headers=support.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.calendar_id"
    listed = await support.client.get("/api/v1/sla-policies", headers=support.auth())
    assert {item["version"] for item in listed.json()["items"]} == {0}  # built in: none stored


async def test_the_built_in_policies_that_apply_are_listed_and_read(
    support: Any, bodies: SimpleNamespace
) -> None:
    """The defaults (three tiers by four priorities) are listed while no stored policy
    takes their place; one for a priority and any tier replaces that priority's three."""
    url = "/api/v1/sla-policies"

    async def listed() -> dict[str, dict[str, object]]:
        page = await support.client.get(url, params={"limit": 200}, headers=support.auth())
        return {item["id"]: item for item in page.json()["items"]}

    defaults = await listed()
    assert len(defaults) == 12
    vip_high = defaults["default-vip-high"]
    assert (vip_high["tier"], vip_high["priority"], vip_high["version"]) == ("vip", "high", 0)
    assert vip_high["first_response_seconds"] == 2 * 3600
    read = await support.client.get(f"{url}/default-vip-high", headers=support.auth())
    assert read.status_code == 200
    assert read.headers["etag"] == '"0"'
    changed = await support.client.put(
        f"{url}/default-vip-high",
        json=bodies.policy(priority="high", tier="vip"),
        headers={**support.admin, "If-Match": '"0"'},
    )
    assert changed.status_code == 409, changed.text

    created = await support.client.post(
        url, json=bodies.policy(priority="high", name="High"), headers=support.admin
    )
    assert created.status_code == 201, created.text
    now = await listed()
    assert len(now) == 10
    assert created.json()["id"] in now
    assert not {"default-normal-high", "default-vip-high", "default-svip-high"} & set(now)
    gone = await support.client.get(f"{url}/default-vip-high", headers=support.auth())
    assert gone.status_code == 404


async def test_deadline_set_before_a_restart_is_enforced_after_it(
    make_settings: Any, start_app: Any, open_probe: Any, bodies: SimpleNamespace
) -> None:
    settings = make_settings(sla_scan_interval_seconds=0.05)
    async with (
        start_app(settings) as before,
        open_probe(settings.events.exchange) as events,
    ):
        # An hour ahead: the first replica is always gone before the deadline.
        policy = bodies.policy(first_response_seconds=3600, resolution_seconds=24 * 3600)
        created = await before.client.post(
            "/api/v1/sla-policies", json=policy, headers=before.admin
        )
        assert created.status_code == 201, created.text
        ticket = (
            await before.client.post("/api/v1/tickets", json=bodies.ticket(), headers=before.auth())
        ).json()
    # The first replica is gone before the deadline (nothing claimed it).
    due = datetime.fromisoformat(ticket["sla"]["first_response"]["due_at"])
    assert due > datetime.now(UTC)
    assert not events.of_type(BREACHED)

    # The probe's queue is bound before the second replica starts (the exchange outlives
    # the first), so a breach it announces at once is kept for the probe.
    async with (
        open_probe(settings.events.exchange) as events,
        start_app(settings) as after,
    ):
        # The new replica's scanner finds the stored deadline once its clock passes it.
        scanner = sla_scanner(after.runtime)
        past_deadline = due + timedelta(seconds=1)
        scanner.clock = lambda: past_deadline
        scanner.wake()

        async def breached() -> bool:
            return bool(events.of_type(BREACHED))

        await wait_until(breached, timeout=15, what="the breach after the restart")
        assert events.of_type(BREACHED)[0]["data"]["ticket_id"] == ticket["id"]
        stored = (
            await after.client.get(f"/api/v1/tickets/{ticket['id']}", headers=after.auth())
        ).json()
        assert stored["sla"]["first_response"]["breached"] is True
