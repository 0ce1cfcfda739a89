# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation)
"""The alert table: which event means who must act, how urgent it is, what they read.

One function per kind turns an event's data into an :class:`Alert`: its kind, the
record it is about (with the console path that shows it), the facts its texts quote,
and its :class:`Audience`, the rule for who receives it. Who those people are (active,
their team, their roles) is decided against the user directory by
:func:`notifications.domain.people.recipients`. A function answers ``None`` when the
event needs nobody (a campaign changing to a status other than completed, a task
assigned to oneself).

============================  ======================================  ======
kind                          recipients                              urgent
============================  ======================================  ======
lead_assigned                 the new owner                           no
opportunity_stalled           owner (+ manager named) + team managers no
task_assigned                 the assignee, unless self-assigned      no
task_reminder                 the task's owner (assignee)             no
ticket_assigned               the assigned agent                      no
ticket_escalated              new agent (else team agents) + previous yes
sla_warning                   the agent, else the team's agents       no
sla_breached                  as sla_warning + administrators         yes
invoice_overdue               the order's owner + team managers       no
import_finished / _failed     who started the import                  no
campaign_finished             the campaign's owner                    no
dead_letters_parked           administrators                          yes
============================  ======================================  ======

The team whose managers are told is the event's team, or, when the event names none,
the owner's team in the directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from crm_contracts.events import customer, marketing, platform, sales, support


class Kind(StrEnum):
    LEAD_ASSIGNED = "lead_assigned"
    OPPORTUNITY_STALLED = "opportunity_stalled"
    TASK_ASSIGNED = "task_assigned"
    TASK_REMINDER = "task_reminder"
    TICKET_ASSIGNED = "ticket_assigned"
    TICKET_ESCALATED = "ticket_escalated"
    SLA_WARNING = "sla_warning"
    SLA_BREACHED = "sla_breached"
    INVOICE_OVERDUE = "invoice_overdue"
    IMPORT_FINISHED = "import_finished"
    IMPORT_FAILED = "import_failed"
    CAMPAIGN_FINISHED = "campaign_finished"
    DEAD_LETTERS_PARKED = "dead_letters_parked"


URGENT_KINDS = frozenset({Kind.TICKET_ESCALATED, Kind.SLA_BREACHED, Kind.DEAD_LETTERS_PARKED})


class Language(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


@dataclass(frozen=True)
class Record:
    """What an alert is about: its type, id, and the console path that shows it."""

    type: str
    id: str
    path: str


@dataclass(frozen=True)
class Audience:
    """Who should receive an alert, before the directory says who is active.

    ``people`` by user id; the sales managers of ``manager_teams``, and of the teams of
    ``managers_of_teams_of`` (people whose directory team counts when the event names
    none); the support agents of ``agent_teams``; administrators; never ``excluded``.
    """

    people: tuple[str, ...] = ()
    manager_teams: tuple[str, ...] = ()
    managers_of_teams_of: tuple[str, ...] = ()
    agent_teams: tuple[str, ...] = ()
    administrators: bool = False
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Localized:
    """A fact that reads differently per language (a clock's name)."""

    texts: Mapping[Language, str]


Fact = str | int | Decimal | date | datetime | Localized


@dataclass(frozen=True)
class Alert:
    kind: Kind
    record: Record
    audience: Audience
    facts: Mapping[str, Fact] = field(default_factory=dict)

    @property
    def urgent(self) -> bool:
        return self.kind in URGENT_KINDS


# Title and body of each kind, per language; ``{name}`` quotes a fact of the alert.
TEXTS: Mapping[Kind, Mapping[Language, tuple[str, str]]] = {
    Kind.LEAD_ASSIGNED: {
        Language.ZH_CN: ("新线索：{lead}", "线索「{lead}」已分配给您。"),
        Language.EN: ("New lead: {lead}", "The lead {lead} was assigned to you."),
    },
    Kind.OPPORTUNITY_STALLED: {
        Language.ZH_CN: (
            "商机停滞：{opportunity}",
            "商机「{opportunity}」在“{stage}”阶段已 {idle_days} 天没有进展。",
        ),
        Language.EN: (
            "Opportunity stalled: {opportunity}",
            "{opportunity} has not moved for {idle_days} days in stage {stage}.",
        ),
    },
    Kind.TASK_ASSIGNED: {
        Language.ZH_CN: ("新任务：{task}", "您被分配了任务「{task}」。"),
        Language.EN: ("New task: {task}", "You were assigned the task “{task}”."),
    },
    Kind.TASK_REMINDER: {
        Language.ZH_CN: ("任务即将到期：{task}", "任务「{task}」将于 {due_at} 到期。"),
        Language.EN: ("Task due: {task}", "The task “{task}” is due at {due_at}."),
    },
    Kind.TICKET_ASSIGNED: {
        Language.ZH_CN: ("工单已分配：{ticket}", "工单「{ticket}」已分配给您。"),
        Language.EN: ("Ticket assigned: {ticket}", "The ticket {ticket} was assigned to you."),
    },
    Kind.TICKET_ESCALATED: {
        Language.ZH_CN: ("工单已升级：{ticket}", "工单「{ticket}」已升级至第 {level} 级。"),
        Language.EN: (
            "Ticket escalated: {ticket}",
            "The ticket {ticket} was escalated to level {level}.",
        ),
    },
    Kind.SLA_WARNING: {
        Language.ZH_CN: ("SLA 即将超时：{ticket}", "工单「{ticket}」的{clock}时限为 {due_at}。"),
        Language.EN: (
            "SLA at risk: {ticket}",
            "The {clock} deadline of ticket {ticket} is {due_at}.",
        ),
    },
    Kind.SLA_BREACHED: {
        Language.ZH_CN: ("SLA 已超时：{ticket}", "工单「{ticket}」的{clock}时限 {due_at} 已过。"),
        Language.EN: (
            "SLA breached: {ticket}",
            "The {clock} deadline of ticket {ticket} passed at {due_at}.",
        ),
    },
    Kind.INVOICE_OVERDUE: {
        Language.ZH_CN: (
            "发票逾期：{invoice}",
            "发票 {invoice}（{amount} {currency}）已逾期 {days} 天，到期日 {due_date}。",
        ),
        Language.EN: (
            "Invoice overdue: {invoice}",
            "Invoice {invoice} ({amount} {currency}) is {days} days overdue (due {due_date}).",
        ),
    },
    Kind.IMPORT_FINISHED: {
        Language.ZH_CN: (
            "导入完成：{file}",
            "共 {total} 行：新建 {created}，更新 {updated}，拒绝 {rejected}。",
        ),
        Language.EN: (
            "Import finished: {file}",
            "{total} rows: {created} created, {updated} updated, {rejected} rejected.",
        ),
    },
    Kind.IMPORT_FAILED: {
        Language.ZH_CN: ("导入失败：{file}", "导入已中止：{reason}"),
        Language.EN: ("Import failed: {file}", "The import stopped: {reason}"),
    },
    Kind.CAMPAIGN_FINISHED: {
        Language.ZH_CN: ("营销活动已完成：{campaign}", "营销活动「{campaign}」已完成。"),
        Language.EN: ("Campaign finished: {campaign}", "The campaign {campaign} has completed."),
    },
    Kind.DEAD_LETTERS_PARKED: {
        Language.ZH_CN: (
            "事件转入死信队列：{event_type}",
            "{service} 无法处理事件 {event_type}，已将其放入死信队列（{reason}）。",
        ),
        Language.EN: (
            "Event parked: {event_type}",
            "{service} could not handle an event {event_type} and parked it ({reason}).",
        ),
    },
}

CLOCKS: Mapping[str, Localized] = {
    "first_response": Localized({Language.ZH_CN: "首次响应", Language.EN: "first-response"}),
    "resolution": Localized({Language.ZH_CN: "解决", Language.EN: "resolution"}),
}


def render(alert: Alert, language: Language, zone: ZoneInfo) -> tuple[str, str]:
    """The alert's title and body in ``language``, times in the reader's ``zone``."""
    title, body = TEXTS[alert.kind][language]
    facts = {name: _text(value, language, zone) for name, value in alert.facts.items()}
    return title.format_map(facts), body.format_map(facts)


def _text(value: Fact, language: Language, zone: ZoneInfo) -> str:
    if isinstance(value, Localized):
        return value.texts[language]
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _people(*ids: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(person for person in ids if person))


def _with_managers(people: tuple[str, ...], team: str | None, owner: str | None) -> Audience:
    """``people`` and the managers of ``team``, or of the owner's directory team when the
    event names none."""
    if team:
        return Audience(people=people, manager_teams=(team,))
    return Audience(people=people, managers_of_teams_of=_people(owner))


# One function per kind -------------------------------------------------------------


def lead_assigned(data: sales.LeadAssigned) -> Alert:
    return Alert(
        Kind.LEAD_ASSIGNED,
        Record("lead", data.lead_id, f"/sales/leads/{data.lead_id}"),
        Audience(people=_people(data.owner_id)),
        {"lead": data.name or data.company or data.lead_id},
    )


def opportunity_stalled(data: sales.OpportunityStalled) -> Alert:
    return Alert(
        Kind.OPPORTUNITY_STALLED,
        Record("opportunity", data.opportunity_id, f"/sales/opportunities/{data.opportunity_id}"),
        _with_managers(_people(data.owner_id, data.manager_id), data.team, data.owner_id),
        {
            "opportunity": data.name or data.opportunity_id,
            "stage": data.stage,
            "idle_days": data.idle_days,
        },
    )


def task_assigned(data: sales.TaskAssigned) -> Alert | None:
    if data.assigned_by is not None and data.assigned_by == data.assignee_id:
        return None
    return Alert(
        Kind.TASK_ASSIGNED,
        Record("task", data.task_id, "/sales/tasks"),
        Audience(people=_people(data.assignee_id)),
        {"task": data.title},
    )


def task_reminder(data: sales.TaskReminderDue) -> Alert:
    return Alert(
        Kind.TASK_REMINDER,
        Record("task", data.task_id, "/sales/tasks"),
        Audience(people=_people(data.assignee_id)),
        {"task": data.title, "due_at": data.due_at},
    )


def _ticket(ticket_id: str) -> Record:
    return Record("ticket", ticket_id, f"/support/tickets/{ticket_id}")


def _ticket_name(ticket_id: str, subject: str | None) -> str:
    return subject or ticket_id


def ticket_assigned(data: support.TicketAssigned) -> Alert:
    return Alert(
        Kind.TICKET_ASSIGNED,
        _ticket(data.ticket_id),
        Audience(people=_people(data.assignee_id)),
        {"ticket": _ticket_name(data.ticket_id, data.subject)},
    )


def ticket_escalated(data: support.TicketEscalated) -> Alert:
    on_call = (data.team,) if data.team and not data.to_assignee_id else ()
    return Alert(
        Kind.TICKET_ESCALATED,
        _ticket(data.ticket_id),
        Audience(people=_people(data.to_assignee_id, data.from_assignee_id), agent_teams=on_call),
        {"ticket": _ticket_name(data.ticket_id, data.subject), "level": data.level},
    )


def _sla_audience(
    assignee_id: str | None, team: str | None, *, administrators: bool = False
) -> Audience:
    on_call = (team,) if team and not assignee_id else ()
    return Audience(people=_people(assignee_id), agent_teams=on_call, administrators=administrators)


def sla_warning(data: support.SlaWarning) -> Alert:
    return Alert(
        Kind.SLA_WARNING,
        _ticket(data.ticket_id),
        _sla_audience(data.assignee_id, data.team),
        {
            "ticket": _ticket_name(data.ticket_id, data.subject),
            "clock": CLOCKS.get(data.clock, Localized(dict.fromkeys(Language, data.clock))),
            "due_at": data.due_at,
        },
    )


def sla_breached(data: support.SlaBreached) -> Alert:
    return Alert(
        Kind.SLA_BREACHED,
        _ticket(data.ticket_id),
        _sla_audience(data.assignee_id, data.team, administrators=True),
        {
            "ticket": _ticket_name(data.ticket_id, data.subject),
            "clock": CLOCKS.get(data.clock, Localized(dict.fromkeys(Language, data.clock))),
            "due_at": data.due_at,
        },
    )


def invoice_overdue(data: sales.InvoiceOverdue) -> Alert:
    return Alert(
        Kind.INVOICE_OVERDUE,
        Record("invoice", data.invoice_id, f"/sales/orders/{data.order_id}"),
        _with_managers(_people(data.owner_id), data.team, data.owner_id),
        {
            "invoice": data.invoice_number,
            "amount": data.amount_due,
            "currency": data.currency,
            "days": data.days_overdue,
            "due_date": data.due_date,
        },
    )


def _import(import_id: str) -> Record:
    return Record("import", import_id, f"/customers/imports/{import_id}")


def import_finished(data: customer.ImportFinished) -> Alert:
    return Alert(
        Kind.IMPORT_FINISHED,
        _import(data.import_id),
        Audience(people=_people(data.started_by)),
        {
            "file": data.file_name or data.import_id,
            "total": data.total_rows,
            "created": data.created,
            "updated": data.updated,
            "rejected": data.rejected,
        },
    )


def import_failed(data: customer.ImportFailed) -> Alert:
    return Alert(
        Kind.IMPORT_FAILED,
        _import(data.import_id),
        Audience(people=_people(data.started_by)),
        {"file": data.file_name or data.import_id, "reason": data.reason},
    )


COMPLETED = "completed"


def campaign_finished(data: marketing.CampaignStatusChanged) -> Alert | None:
    if data.status != COMPLETED:
        return None
    return Alert(
        Kind.CAMPAIGN_FINISHED,
        Record("campaign", data.campaign_id, f"/marketing/campaigns/{data.campaign_id}"),
        Audience(people=_people(data.owner_id)),
        {"campaign": data.name},
    )


def dead_letters_parked(data: platform.DeadLetterParked) -> Alert:
    return Alert(
        Kind.DEAD_LETTERS_PARKED,
        Record("dead_letter", data.event_id or data.queue, "/settings/dead-letters"),
        Audience(administrators=True),
        {
            "service": data.service,
            "event_type": data.event_type or "?",
            "reason": data.reason,
        },
    )
