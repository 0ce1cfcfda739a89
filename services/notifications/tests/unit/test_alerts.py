"""The alert table without servers: each kind's audience, urgency, record and texts, and
who of an audience the directory lets receive it."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation)

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crm_contracts.access import Role
from crm_contracts.events import customer, marketing, platform, sales, support
from notifications.domain import alerts
from notifications.domain.alerts import URGENT_KINDS, Audience, Kind, Language, render
from notifications.domain.people import Person, RoleQuery, named, recipients, role_queries

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def person(
    user_id: str, role: str = "sales_rep", team: str | None = None, active: bool = True
) -> Person:
    return Person(user_id, f"{user_id}@crm.test", user_id, frozenset({role}), team, active)


def test_every_kind_has_texts_in_both_languages_and_three_are_urgent() -> None:
    assert set(alerts.TEXTS) == set(Kind)
    for texts in alerts.TEXTS.values():
        assert set(texts) == set(Language)
    assert {Kind.TICKET_ESCALATED, Kind.SLA_BREACHED, Kind.DEAD_LETTERS_PARKED} == URGENT_KINDS


def test_lead_assigned_tells_the_new_owner_about_the_lead_by_name() -> None:
    alert = alerts.lead_assigned(
        sales.LeadAssigned(lead_id="L1", owner_id="rep-1", company="Acme", assigned_at=NOW)
    )

    assert alert.audience == Audience(people=("rep-1",))
    assert alert.record == alerts.Record("lead", "L1", "/sales/leads/L1")
    assert not alert.urgent
    assert render(alert, Language.EN, SHANGHAI) == (
        "New lead: Acme",
        "The lead Acme was assigned to you.",
    )
    assert render(alert, Language.ZH_CN, SHANGHAI)[0] == "新线索：Acme"


def test_a_stalled_opportunity_tells_owner_manager_and_the_teams_managers() -> None:
    with_team = alerts.opportunity_stalled(
        sales.OpportunityStalled(
            opportunity_id="O1",
            customer_id="C1",
            owner_id="rep-1",
            manager_id="mgr-1",
            team="north",
            name="Big deal",
            stage="proposal",
            idle_days=14,
            detected_at=NOW,
        )
    )
    without_team = alerts.opportunity_stalled(
        sales.OpportunityStalled(
            opportunity_id="O2",
            customer_id="C1",
            owner_id="rep-1",
            stage="proposal",
            idle_days=14,
            detected_at=NOW,
        )
    )

    assert with_team.audience == Audience(people=("rep-1", "mgr-1"), manager_teams=("north",))
    assert without_team.audience == Audience(people=("rep-1",), managers_of_teams_of=("rep-1",))
    assert with_team.record.path == "/sales/opportunities/O1"
    assert render(with_team, Language.EN, SHANGHAI)[1] == (
        "Big deal has not moved for 14 days in stage proposal."
    )


def test_a_task_assigned_tells_the_assignee_unless_they_assigned_it_themselves() -> None:
    def assigned(by: str | None) -> alerts.Alert | None:
        return alerts.task_assigned(
            sales.TaskAssigned(
                task_id="T1", title="Call", assignee_id="rep-2", assigned_by=by, assigned_at=NOW
            )
        )

    by_other = assigned("rep-1")
    assert by_other is not None
    assert by_other.audience == Audience(people=("rep-2",))
    assert by_other.record == alerts.Record("task", "T1", "/sales/tasks")
    assert assigned(None) is not None
    assert assigned("rep-2") is None


def test_a_task_reminder_gives_the_due_time_in_the_readers_zone() -> None:
    alert = alerts.task_reminder(
        sales.TaskReminderDue(
            task_id="T1", title="Call", assignee_id="rep-1", due_at=NOW, reminded_at=NOW
        )
    )

    assert alert.audience == Audience(people=("rep-1",))
    assert render(alert, Language.EN, SHANGHAI)[1] == "The task “Call” is due at 2026-06-01 17:30."
    assert render(alert, Language.EN, ZoneInfo("Europe/London"))[1].endswith("10:30.")


def test_tickets_tell_the_agent_the_escalation_target_or_team_and_the_previous_one() -> None:
    assigned = alerts.ticket_assigned(
        support.TicketAssigned(ticket_id="K1", assignee_id="agent-1", assigned_at=NOW)
    )
    to_agent = alerts.ticket_escalated(
        support.TicketEscalated(
            ticket_id="K1",
            from_assignee_id="agent-1",
            to_assignee_id="agent-3",
            team="tier2",
            level=2,
            escalated_at=NOW,
        )
    )
    to_team = alerts.ticket_escalated(
        support.TicketEscalated(
            ticket_id="K1", from_assignee_id="agent-1", team="tier2", level=2, escalated_at=NOW
        )
    )

    assert assigned.audience == Audience(people=("agent-1",))
    assert assigned.record.path == "/support/tickets/K1"
    assert to_agent.audience == Audience(people=("agent-3", "agent-1"))
    assert to_agent.urgent
    assert to_team.audience == Audience(people=("agent-1",), agent_teams=("tier2",))


def test_sla_alerts_go_to_the_agent_else_the_team_on_call_and_breaches_to_admins() -> None:
    warned = alerts.sla_warning(
        support.SlaWarning(
            ticket_id="K1", team="tier1", clock="first_response", due_at=NOW, warned_at=NOW
        )
    )
    breached = alerts.sla_breached(
        support.SlaBreached(
            ticket_id="K1",
            assignee_id="agent-1",
            team="tier1",
            subject="Down",
            clock="resolution",
            due_at=NOW,
            breached_at=NOW,
        )
    )

    assert warned.audience == Audience(agent_teams=("tier1",))
    assert not warned.urgent
    assert breached.audience == Audience(people=("agent-1",), administrators=True)
    assert breached.urgent
    assert render(warned, Language.EN, SHANGHAI)[1] == (
        "The first-response deadline of ticket K1 is 2026-06-01 17:30."
    )
    assert render(breached, Language.ZH_CN, SHANGHAI) == (
        "SLA 已超时：Down",
        "工单「Down」的解决时限 2026-06-01 17:30 已过。",
    )


def test_an_overdue_invoice_tells_the_owner_and_the_teams_managers_with_the_amount() -> None:
    alert = alerts.invoice_overdue(
        sales.InvoiceOverdue(
            invoice_id="I1",
            invoice_number="INV-7",
            order_id="S1",
            customer_id="C1",
            owner_id="rep-1",
            team="north",
            amount_due=Decimal("99.50"),
            due_date=date(2026, 5, 1),
            days_overdue=31,
            detected_at=NOW,
        )
    )

    assert alert.audience == Audience(people=("rep-1",), manager_teams=("north",))
    assert alert.record == alerts.Record("invoice", "I1", "/sales/orders/S1")
    assert render(alert, Language.EN, SHANGHAI)[1] == (
        "Invoice INV-7 (99.50 CNY) is 31 days overdue (due 2026-05-01)."
    )


def test_imports_campaigns_and_dead_letters() -> None:
    finished = alerts.import_finished(
        customer.ImportFinished(
            import_id="M1",
            started_by="rep-1",
            total_rows=3,
            created=2,
            rejected=1,
            finished_at=NOW,
        )
    )
    failed = alerts.import_failed(
        customer.ImportFailed(import_id="M2", reason="empty file", failed_at=NOW)
    )

    def campaign(status: str) -> alerts.Alert | None:
        return alerts.campaign_finished(
            marketing.CampaignStatusChanged(
                campaign_id="G1",
                name="Fair",
                status=status,
                owner_id="marketer-1",
                budget=Decimal(1),
                cost=Decimal(1),
                changed_at=NOW,
            )
        )

    parked = alerts.dead_letters_parked(
        platform.DeadLetterParked(
            service="sales", queue="sales.events.dead", reason="malformed", parked_at=NOW
        )
    )

    assert finished.audience == Audience(people=("rep-1",))
    assert finished.record.path == "/customers/imports/M1"
    assert render(finished, Language.EN, SHANGHAI) == (
        "Import finished: M1",
        "3 rows: 2 created, 0 updated, 1 rejected.",
    )
    assert failed.audience == Audience()  # nobody started it: nobody to tell
    completed = campaign("completed")
    assert completed is not None
    assert completed.audience == Audience(people=("marketer-1",))
    assert completed.record.path == "/marketing/campaigns/G1"
    assert campaign("running") is None
    assert parked.audience == Audience(administrators=True)
    assert parked.urgent
    assert parked.record == alerts.Record(
        "dead_letter", "sales.events.dead", "/settings/dead-letters"
    )


def test_role_queries_take_the_owners_directory_team_when_the_event_names_none() -> None:
    audience = Audience(
        people=("rep-1",),
        managers_of_teams_of=("rep-1",),
        agent_teams=("tier1",),
        administrators=True,
    )
    found = {"rep-1": person("rep-1", team="south")}

    assert named(audience) == ("rep-1",)
    assert role_queries(audience, found) == [
        RoleQuery(Role.SALES_MANAGER, ("south",)),
        RoleQuery(Role.SUPPORT_AGENT, ("tier1",)),
        RoleQuery(Role.ADMIN),
    ]
    assert role_queries(Audience(managers_of_teams_of=("nobody",)), {}) == []


def test_recipients_are_active_known_once_each_and_never_excluded() -> None:
    audience = Audience(people=("rep-1", "gone", "unknown", "mgr-1"), excluded=("admin-2",))
    found = {
        "rep-1": person("rep-1"),
        "gone": person("gone", active=False),
        "mgr-1": person("mgr-1", "sales_manager", "north"),
    }
    holders = [
        person("mgr-1", "sales_manager", "north"),
        person("admin-1", "admin"),
        person("admin-2", "admin"),
    ]

    chosen = recipients(audience, found, holders)

    assert [p.user_id for p in chosen] == ["rep-1", "mgr-1", "admin-1"]


@pytest.mark.parametrize("language", list(Language))
def test_every_kind_renders_in_every_language(language: Language) -> None:
    samples = [
        alerts.lead_assigned(sales.LeadAssigned(lead_id="L", owner_id="o", assigned_at=NOW)),
        alerts.dead_letters_parked(
            platform.DeadLetterParked(service="s", queue="q", reason="r", parked_at=NOW)
        ),
    ]
    for alert in samples:
        title, body = render(alert, language, SHANGHAI)
        assert title
        assert body
        assert "{" not in title + body
