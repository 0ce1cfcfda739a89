"""Mail to people: one mail per item where the person wants mail, none where not; quiet
hours hold it until they end in the person's zone; the daily digest lists the day's
unread items and replaces the per-item mail of non-urgent kinds. Two replicas run and
events come twice: still one mail each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crm_chassis.testing import ServiceRunner, free_port, wait_until
from crm_contracts.events import sales, support
from crm_localinfra.smtp import SmtpCapture
from notifications.settings import Settings

from .conftest import NOW
from .mailing import (
    FAST_MAIL,
    Addresses,
    StartApp,
    known_people,
    mail_replicas,
    mail_state,
    mail_to,
    put_preferences,
    rounds_pass,
    set_clock,
    settled,
    wait_for_mail,
)

pytestmark = pytest.mark.integration


def escalated(ticket_id: str, to: str, previous: str) -> support.TicketEscalated:
    return support.TicketEscalated(
        ticket_id=ticket_id,
        subject="Printer on fire",
        level=2,
        to_assignee_id=to,
        from_assignee_id=previous,
        escalated_at=NOW,
    )


async def test_one_mail_per_item_where_wanted_and_none_where_not_with_two_replicas_and_redelivery(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    addresses = Addresses()
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, second = apps
        await known_people(first, addresses, "agent-1", "agent-2")
        # Urgent kinds are mailed by default; agent-2 wants this one in the console only.
        await put_preferences(first, "agent-1")
        await put_preferences(first, "agent-2", channels={"ticket_escalated": ["console"]})
        event_id = await first.bus.publish(escalated("TK-1", "agent-1", "agent-2"))
        await second.bus.publish(escalated("TK-1", "agent-1", "agent-2"), event_id=event_id)

        mails = await wait_for_mail(mailbox, addresses.of("agent-1"))
        await settled(first, "agent-1", event_id, "sent")
        await settled(first, "agent-2", event_id, "not_wanted")
        await rounds_pass(apps, "user_mail")

        assert len(mail_to(mailbox, addresses.of("agent-1"))) == 1
        assert mail_to(mailbox, addresses.of("agent-2")) == []
        mail = mails[0]
        assert mail.subject == "[Urgent] Ticket escalated: Printer on fire"
        assert "The ticket Printer on fire was escalated to level 2." in mail.text()
        assert "https://crm.test/support/tickets/TK-1" in mail.text()
        sent = await mail_state(first, "agent-1", event_id)
        assert sent["sent_at"] is not None
        assert await first.collection("notifications").count_documents({}) == 2


async def test_quiet_hours_hold_mail_until_they_end_in_the_persons_zone(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    addresses = Addresses()
    zone = ZoneInfo("America/New_York")
    local = datetime.now(UTC).astimezone(zone)
    start, end = local - timedelta(hours=1), local + timedelta(hours=1)
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, _ = apps
        await known_people(first, addresses, "rep-1")
        await put_preferences(
            first,
            "rep-1",
            time_zone="America/New_York",
            quiet_hours={"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
            channels={"lead_assigned": ["console", "email"]},
        )
        event_id = await first.bus.publish(
            sales.LeadAssigned(lead_id="L1", owner_id="rep-1", name="Ada Chen", assigned_at=NOW)
        )
        await settled(first, "rep-1", event_id, "held_until")
        held = await mail_state(first, "rep-1", event_id)
        quiet_end = end.replace(second=0, microsecond=0).astimezone(UTC)
        assert held["due_at"] == quiet_end

        await rounds_pass(apps, "user_mail")
        assert mail_to(mailbox, addresses.of("rep-1")) == []

        set_clock(apps, "user_mail", quiet_end - timedelta(seconds=1))
        await rounds_pass(apps, "user_mail")
        assert mail_to(mailbox, addresses.of("rep-1")) == []

        set_clock(apps, "user_mail", quiet_end)
        mails = await wait_for_mail(mailbox, addresses.of("rep-1"))
        await rounds_pass(apps, "user_mail")

        assert len(mail_to(mailbox, addresses.of("rep-1"))) == 1
        assert mails[0].subject == "New lead: Ada Chen"
        assert (await mail_state(first, "rep-1", event_id))["state"] == "sent"


async def test_the_digest_lists_the_days_unread_items_once_and_replaces_non_urgent_mail(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    addresses = Addresses()
    address = addresses.of("agent-1")
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, _ = apps
        await known_people(first, addresses, "agent-1", "agent-2")
        await put_preferences(
            first,
            "agent-1",
            digest={"enabled": True, "at": "08:00"},
            channels={"ticket_assigned": ["console", "email"]},
        )
        me = first.as_person("agent-1")
        events = {}
        for ticket in ("TK-A", "TK-B"):
            events[ticket] = await first.bus.publish(
                support.TicketAssigned(
                    ticket_id=ticket,
                    subject=f"Case {ticket}",
                    assignee_id="agent-1",
                    assigned_at=NOW,
                )
            )
        events["TK-U"] = await first.bus.publish(escalated("TK-U", "agent-1", "agent-2"))
        for ticket in ("TK-A", "TK-B"):
            await settled(first, "agent-1", events[ticket], "not_wanted")
        # The urgent one is mailed at once, digest or not.
        urgent = await wait_for_mail(mailbox, address)
        assert urgent[0].subject == "[Urgent] Ticket escalated: Printer on fire"
        assert (await mail_state(first, "agent-1", events["TK-A"]))["reason"] == "digest"
        # TK-B is read before the digest goes out.
        inbox = await first.client.get("/api/v1/notifications", headers=me)
        read = next(i for i in inbox.json()["items"] if i["record"]["id"] == "TK-B")
        response = await first.client.post(
            f"/api/v1/notifications/{read['notification_id']}/read", headers=me
        )
        assert response.status_code == 204

        await rounds_pass(apps, "user_mail")
        assert len(mail_to(mailbox, address)) == 1
        shanghai = ZoneInfo("Asia/Shanghai")
        local = datetime.now(UTC).astimezone(shanghai)
        eight = local.replace(hour=8, minute=0, second=0, microsecond=0)
        digest_at = eight if eight > local else eight + timedelta(days=1)
        set_clock(apps, "user_mail", digest_at.astimezone(UTC))
        mails = await wait_for_mail(mailbox, address, count=2)
        await rounds_pass(apps, "user_mail")

        assert len(mail_to(mailbox, address)) == 2
        digest = mails[1]
        assert digest.subject == (
            f"Your daily digest ({digest_at:%Y-%m-%d}): 2 unread notification(s)"
        )
        text = digest.text()
        assert "Ticket assigned: Case TK-A" in text
        assert "Ticket escalated: Printer on fire" in text
        assert "TK-B" not in text
        assert "https://crm.test/support/tickets/TK-A" in text
        assert await first.collection("digests").count_documents({"state": "sent"}) == 1


async def test_mail_the_server_did_not_take_goes_later_and_a_dead_replicas_lease_runs_out(
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
) -> None:
    addresses = Addresses()
    address = addresses.of("agent-1")
    # Nothing listens there; a failed mail is due again in an hour.
    away = make_settings(
        **{**FAST_MAIL, "mail_retry_seconds": 3600},
        smtp={"host": "127.0.0.1", "port": free_port()},
    )
    async with start_app(away) as app:
        await known_people(app, addresses, "agent-1", "agent-2")
        event_id = await app.bus.publish(escalated("TK-1", "agent-1", "agent-2"))

        async def tried() -> bool:
            item = await app.collection("notifications").find_one(
                {"recipient": "agent-1", "event_id": event_id}
            )
            return item is not None and item["mail"].get("attempts", 0) >= 1

        await wait_until(tried, timeout=15, what="a failed attempt")

    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        items = apps[0].collection("notifications")
        mail = await mail_state(apps[0], "agent-1", event_id)
        assert mail["state"] == "pending"
        assert mail["attempts"] == 1
        assert mail["error"]
        assert mail["due_at"] > datetime.now(UTC) + timedelta(minutes=50)
        # As if a replica had claimed it and died: nobody sends it until the lease ends
        # (on the real clock; long enough for the rounds below on a loaded host).
        await items.update_one(
            {"recipient": "agent-1", "event_id": event_id},
            {
                "$set": {
                    "mail.lease_owner": "dead-replica",
                    "mail.lease_until": datetime.now(UTC) + timedelta(seconds=10),
                }
            },
        )
        set_clock(apps, "user_mail", datetime.now(UTC) + timedelta(hours=2))
        await rounds_pass(apps, "user_mail")
        assert mail_to(mailbox, address) == []

        await wait_for_mail(mailbox, address, timeout=30)
        await rounds_pass(apps, "user_mail")

        assert len(mail_to(mailbox, address)) == 1
        assert (await mail_state(apps[0], "agent-1", event_id))["state"] == "sent"
