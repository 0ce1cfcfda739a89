"""Events published by the support service."""

from __future__ import annotations

from datetime import datetime

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/support"


@event_type("crm.support.ticket.opened.v1", source=SOURCE)
class TicketOpened(EventData):
    """A ticket came in. Published once more, with the same ``ticket_id`` and ``opened_at``,
    when an agent links a ticket that came in without a customer (the public web form) to
    the customer it is from: consumers keep tickets by id, so the repeat adds the customer."""

    ticket_id: str
    customer_id: str | None = None
    type: str
    priority: str
    channel: str
    subject: str
    product: str | None = None
    opened_at: datetime
    # When the first answer is due by the ticket's SLA: the acknowledgement mailed to
    # the customer names it (issue #17).
    first_response_due: datetime | None = None


@event_type("crm.support.ticket.status_changed.v1", source=SOURCE)
class TicketStatusChanged(EventData):
    ticket_id: str
    customer_id: str | None = None
    from_status: str
    to_status: str
    assignee_id: str | None = None
    team: str | None = None
    actor_id: str | None = None
    changed_at: datetime


@event_type("crm.support.ticket.resolved.v1", source=SOURCE)
class TicketResolved(EventData):
    ticket_id: str
    customer_id: str | None = None
    assignee_id: str | None = None
    team: str | None = None
    priority: str
    opened_at: datetime
    resolved_at: datetime
    first_response_seconds: float | None = None
    handling_seconds: float
    first_contact_resolution: bool
    sla_met: bool


@event_type("crm.support.sla.breached.v1", source=SOURCE)
class SlaBreached(EventData):
    ticket_id: str
    customer_id: str | None = None
    # Who holds the ticket now, or its team when nobody does (its agents are on call).
    assignee_id: str | None = None
    team: str | None = None
    subject: str | None = None
    priority: str | None = None
    clock: str  # "first_response" or "resolution"
    due_at: datetime
    breached_at: datetime


@event_type("crm.support.sla.warning.v1", source=SOURCE)
class SlaWarning(EventData):
    ticket_id: str
    customer_id: str | None = None
    # As in SlaBreached: the ticket's agent, or its team's agents when unassigned.
    assignee_id: str | None = None
    team: str | None = None
    subject: str | None = None
    priority: str | None = None
    clock: str
    due_at: datetime
    warned_at: datetime


@event_type("crm.support.survey.answered.v1", source=SOURCE)
class SurveyAnswered(EventData):
    survey_id: str
    ticket_id: str | None = None
    customer_id: str | None = None
    agent_id: str | None = None
    score: int
    comment: str | None = None
    answered_at: datetime


@event_type("crm.support.ticket.assigned.v1", source=SOURCE)
class TicketAssigned(EventData):
    ticket_id: str
    customer_id: str | None = None
    assignee_id: str | None = None
    team: str | None = None
    rule: str | None = None  # the routing rule that chose the agent, None when manual
    actor_id: str | None = None
    subject: str | None = None
    priority: str | None = None
    assigned_at: datetime


@event_type("crm.support.ticket.escalated.v1", source=SOURCE)
class TicketEscalated(EventData):
    ticket_id: str
    customer_id: str | None = None
    from_assignee_id: str | None = None
    to_assignee_id: str | None = None
    team: str | None = None
    level: int
    reason: str | None = None
    actor_id: str | None = None
    subject: str | None = None
    priority: str | None = None
    escalated_at: datetime


@event_type("crm.support.ticket.replied.v1", source=SOURCE)
class TicketReplied(EventData):
    """An agent answered the customer (public reply; internal notes are not published)."""

    ticket_id: str
    customer_id: str | None = None
    message_id: str
    author_id: str | None = None
    replied_at: datetime
