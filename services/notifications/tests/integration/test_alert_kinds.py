"""For every alert kind: one event in gives exactly one inbox item to each right person
and to nobody else, and one mail where that person wants mail; with two replicas
running and the event delivered twice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crm_chassis.testing import ServiceRunner, wait_until
from crm_contracts.events import customer, marketing, platform, sales, support
from crm_contracts.events.registry import EventData, to_cloud_event
from crm_localinfra.smtp import SmtpCapture
from notifications.settings import Settings

from .conftest import CAST, NOW, Notifications, user_changed
from .mailing import (
    Addresses,
    StartApp,
    known_people,
    mail_replicas,
    mail_state,
    mail_to,
    put_preferences,
    rounds_pass,
    settled,
    wait_for_mail,
)

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Case:
    kind: str
    event: EventData
    recipients: frozenset[str]
    urgent: bool
    path: str

    @property
    def console_only(self) -> str | None:
        """Of several recipients, the last by name wants the kind in the console only
        (in the mail test); the others want it by e-mail too."""
        return max(self.recipients) if len(self.recipients) > 1 else None

    @property
    def mailed(self) -> frozenset[str]:
        return self.recipients - {self.console_only} if self.console_only else self.recipients


def case(kind: str, event: EventData, recipients: set[str], path: str, urgent: bool = False) -> Any:
    return pytest.param(Case(kind, event, frozenset(recipients), urgent, path), id=kind)


CASES = [
    case(
        "lead_assigned",
        sales.LeadAssigned(lead_id="L1", owner_id="rep-1", name="Ada Chen", assigned_at=NOW),
        {"rep-1"},
        "/sales/leads/L1",
    ),
    case(
        "opportunity_stalled",
        sales.OpportunityStalled(
            opportunity_id="O1",
            customer_id="C1",
            owner_id="rep-1",
            team="north",
            stage="proposal",
            idle_days=21,
            detected_at=NOW,
        ),
        {"rep-1", "mgr-north"},
        "/sales/opportunities/O1",
    ),
    case(
        "task_assigned",
        sales.TaskAssigned(
            task_id="T1",
            title="Call back",
            assignee_id="rep-2",
            assigned_by="rep-1",
            assigned_at=NOW,
        ),
        {"rep-2"},
        "/sales/tasks",
    ),
    case(
        "task_reminder",
        sales.TaskReminderDue(
            task_id="T2", title="Send quote", assignee_id="rep-1", due_at=NOW, reminded_at=NOW
        ),
        {"rep-1"},
        "/sales/tasks",
    ),
    case(
        "ticket_assigned",
        support.TicketAssigned(ticket_id="K1", assignee_id="agent-1", assigned_at=NOW),
        {"agent-1"},
        "/support/tickets/K1",
    ),
    case(
        "ticket_escalated",
        support.TicketEscalated(
            ticket_id="K2",
            from_assignee_id="agent-1",
            to_assignee_id="agent-3",
            team="tier2",
            level=2,
            escalated_at=NOW,
        ),
        {"agent-1", "agent-3"},
        "/support/tickets/K2",
        urgent=True,
    ),
    case(
        "sla_warning",
        support.SlaWarning(
            ticket_id="K3", team="tier1", clock="first_response", due_at=NOW, warned_at=NOW
        ),
        {"agent-1", "agent-2"},
        "/support/tickets/K3",
    ),
    case(
        "sla_breached",
        support.SlaBreached(
            ticket_id="K4",
            assignee_id="agent-3",
            team="tier2",
            clock="resolution",
            due_at=NOW,
            breached_at=NOW,
        ),
        {"agent-3", "admin-1"},
        "/support/tickets/K4",
        urgent=True,
    ),
    case(
        "invoice_overdue",
        sales.InvoiceOverdue(
            invoice_id="I1",
            invoice_number="INV-1",
            order_id="S1",
            customer_id="C1",
            owner_id="rep-2",
            amount_due=Decimal("1200.00"),
            due_date=date(2026, 5, 1),
            days_overdue=31,
            detected_at=NOW,
        ),
        {"rep-2", "mgr-north"},
        "/sales/orders/S1",
    ),
    case(
        "import_finished",
        customer.ImportFinished(
            import_id="M1",
            started_by="marketer-1",
            file_name="fair.xlsx",
            total_rows=10,
            created=8,
            rejected=2,
            finished_at=NOW,
        ),
        {"marketer-1"},
        "/customers/imports/M1",
    ),
    case(
        "import_failed",
        customer.ImportFailed(
            import_id="M2", started_by="rep-1", reason="not a spreadsheet", failed_at=NOW
        ),
        {"rep-1"},
        "/customers/imports/M2",
    ),
    case(
        "campaign_finished",
        marketing.CampaignStatusChanged(
            campaign_id="G1",
            name="Spring fair",
            from_status="running",
            status="completed",
            owner_id="marketer-1",
            budget=Decimal(1000),
            cost=Decimal(900),
            changed_at=NOW,
        ),
        {"marketer-1"},
        "/marketing/campaigns/G1",
    ),
    case(
        "dead_letters_parked",
        platform.DeadLetterParked(
            service="sales",
            queue="sales.events.dead",
            event_id="e-1",
            event_type="crm.customer.customer.created.v1",
            reason="handler_failed",
            parked_at=NOW,
        ),
        {"admin-1"},
        "/settings/dead-letters",
        urgent=True,
    ),
]


async def items_of(app: Notifications) -> list[dict[str, Any]]:
    return [document async for document in app.collection("notifications").find({})]


@pytest.mark.parametrize("alert", CASES)
async def test_one_event_twice_on_two_replicas_gives_each_right_person_one_item(
    alert: Case,
    replicas: tuple[Notifications, Notifications],
    people: Callable[[Notifications], Awaitable[None]],
    consumed: Callable[[Settings, str], float],
) -> None:
    first, second = replicas
    await people(first)
    handled_before = consumed(first.settings, alert.event.TYPE)
    event = to_cloud_event(alert.event)

    await first.bus.publish_event(event)
    await second.bus.publish_event(event)  # the same event (same id) delivered again

    await wait_until(
        lambda: consumed(first.settings, alert.event.TYPE) >= handled_before + 2,
        timeout=15,
        what="both deliveries handled",
    )
    stored = await items_of(first)
    assert sorted(item["recipient"] for item in stored) == sorted(alert.recipients)
    assert {item["event_id"] for item in stored} == {event.id}
    for user_id in CAST:
        inbox = await second.inbox(user_id)
        if user_id not in alert.recipients:
            assert inbox == []
            continue
        assert len(inbox) == 1
        (item,) = inbox
        assert item["kind"] == alert.kind
        assert item["urgent"] is alert.urgent
        assert item["record"]["path"] == alert.path
        assert item["read_at"] is None
        assert item["sequence"] == 1
        assert item["title"]  # in the default language, Chinese
        assert any("\u4e00" <= char <= "\u9fff" for char in item["title"])


@pytest.mark.parametrize("alert", CASES)
async def test_one_event_twice_on_two_replicas_mails_each_person_who_wants_it_once(
    alert: Case,
    service_runner: ServiceRunner,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    mailbox: SmtpCapture,
    consumed: Callable[[Settings, str], float],
) -> None:
    addresses = Addresses()
    async with mail_replicas(service_runner, make_settings, start_app) as apps:
        first, second = apps
        await known_people(first, addresses, *CAST)
        # Everyone wants this kind by mail, so a mail to anyone it is not for would show;
        # one of several recipients wants it in the console only.
        for user_id in CAST:
            channels = ["console"] if user_id == alert.console_only else ["console", "email"]
            await put_preferences(first, user_id, channels={alert.kind: channels})
        handled_before = consumed(first.settings, alert.event.TYPE)
        event = to_cloud_event(alert.event)

        await first.bus.publish_event(event)
        await second.bus.publish_event(event)  # the same event (same id) delivered again

        for user_id in alert.mailed:
            await wait_for_mail(mailbox, addresses.of(user_id))
        if alert.console_only is not None:
            await settled(first, alert.console_only, event.id, "not_wanted")
        await wait_until(
            lambda: consumed(first.settings, alert.event.TYPE) >= handled_before + 2,
            timeout=15,
            what="both deliveries handled",
        )
        # Whatever either replica would still send for this event, it has sent by now.
        await rounds_pass(apps, "user_mail")

        for user_id in CAST:
            mails = mail_to(mailbox, addresses.of(user_id))
            if user_id not in alert.mailed:
                assert mails == [], user_id
                continue
            assert len(mails) == 1, user_id
            (item,) = await second.inbox(user_id)
            mark = "[Urgent] " if alert.urgent else ""
            assert mails[0].subject == f"{mark}{item['title']}"
            assert f"https://crm.test{alert.path}" in mails[0].text()
            assert (await mail_state(first, user_id, event.id))["state"] == "sent"
        if alert.console_only is not None:
            assert len(await second.inbox(alert.console_only)) == 1


async def test_a_team_named_by_nobody_is_the_owners_team_in_the_directory(
    notifications: Notifications,
    people: Callable[[Notifications], Awaitable[None]],
) -> None:
    await people(notifications)
    stalled = sales.OpportunityStalled(
        opportunity_id="O2",
        customer_id="C1",
        owner_id="rep-south",
        stage="negotiation",
        idle_days=30,
        detected_at=NOW,
    )

    await notifications.bus.publish(stalled)

    async def told() -> bool:
        return len(await items_of(notifications)) == 2

    await wait_until(told, timeout=15, what="owner and manager told")
    assert {item["recipient"] for item in await items_of(notifications)} == {
        "rep-south",
        "mgr-south",
    }


async def test_inactive_and_unknown_people_get_nothing(
    notifications: Notifications,
    people: Callable[[Notifications], Awaitable[None]],
    consumed: Callable[[Settings, str], float],
) -> None:
    await people(notifications)
    before = consumed(notifications.settings, sales.LeadAssigned.TYPE)

    for owner in ("ex-rep", "nobody-known"):
        await notifications.bus.publish(
            sales.LeadAssigned(lead_id=f"L-{owner}", owner_id=owner, assigned_at=NOW)
        )
    await notifications.bus.publish(
        sales.LeadAssigned(lead_id="L-ok", owner_id="rep-1", assigned_at=NOW)
    )

    await wait_until(
        lambda: consumed(notifications.settings, sales.LeadAssigned.TYPE) >= before + 3,
        timeout=15,
        what="three events handled",
    )
    assert [item["recipient"] for item in await items_of(notifications)] == ["rep-1"]


async def test_a_task_assigned_to_oneself_and_a_campaign_not_completed_tell_nobody(
    notifications: Notifications,
    people: Callable[[Notifications], Awaitable[None]],
    consumed: Callable[[Settings, str], float],
) -> None:
    await people(notifications)
    tasks = consumed(notifications.settings, sales.TaskAssigned.TYPE)
    campaigns = consumed(notifications.settings, marketing.CampaignStatusChanged.TYPE)

    await notifications.bus.publish(
        sales.TaskAssigned(
            task_id="T9", title="Mine", assignee_id="rep-1", assigned_by="rep-1", assigned_at=NOW
        )
    )
    await notifications.bus.publish(
        marketing.CampaignStatusChanged(
            campaign_id="G9",
            name="Autumn",
            from_status="planned",
            status="running",
            owner_id="marketer-1",
            budget=Decimal(1),
            cost=Decimal(0),
            changed_at=NOW,
        )
    )

    await wait_until(
        lambda: (
            consumed(notifications.settings, sales.TaskAssigned.TYPE) > tasks
            and consumed(notifications.settings, marketing.CampaignStatusChanged.TYPE) > campaigns
        ),
        timeout=15,
        what="both events handled",
    )
    assert await items_of(notifications) == []


async def test_a_newer_directory_entry_wins_and_a_late_older_one_changes_nothing(
    notifications: Notifications,
    people: Callable[[Notifications], Awaitable[None]],
    consumed: Callable[[Settings, str], float],
) -> None:
    await people(notifications)

    before = consumed(notifications.settings, "crm.gateway.user.changed.v1")
    await notifications.bus.publish(user_changed("rep-1", version=3, active=False))
    await notifications.bus.publish(user_changed("rep-1", version=2, team="south"))
    await wait_until(
        lambda: consumed(notifications.settings, "crm.gateway.user.changed.v1") >= before + 2,
        timeout=15,
        what="both user events handled",
    )
    copy = await notifications.collection("people").find_one({"_id": "rep-1"})
    assert copy is not None
    assert copy["active"] is False
    assert copy["team"] == "north"

    lead = sales.LeadAssigned(lead_id="L5", owner_id="rep-1", assigned_at=NOW)
    handled = consumed(notifications.settings, sales.LeadAssigned.TYPE)
    await notifications.bus.publish(lead)
    await wait_until(
        lambda: consumed(notifications.settings, sales.LeadAssigned.TYPE) > handled,
        timeout=15,
        what="the lead handled",
    )
    assert await items_of(notifications) == []
