"""The ticket aggregate: lifecycle, conversation and SLA clocks (T-1, T-2, T-4).

Every operation takes the current ticket and returns the changed copy with the events
the change causes; the store writes both in one single-document write.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from crm_chassis.domain_errors import InvalidTransition, RuleViolation, StateConflict
from crm_contracts.events.registry import EventData
from crm_contracts.events.support import (
    TicketAssigned,
    TicketEscalated,
    TicketOpened,
    TicketReplied,
    TicketResolved,
    TicketStatusChanged,
)
from support.domain.calendar import BusinessCalendar
from support.domain.lifecycle import OPEN_STATUSES, TicketStatus, can_transition
from support.domain.sla import (
    Priority,
    SlaClockName,
    SlaPolicy,
    TicketSla,
    Tier,
    pause_sla,
    reapply_policy,
    restart_resolution,
    resume_sla,
    start_sla,
    stop_clock,
)

MAX_MESSAGES = 1000


class TicketType(StrEnum):
    TECHNICAL = "technical"
    BILLING = "billing"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    CHAT = "chat"
    API = "api"


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class AuthorKind(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"


class Requester(BaseModel):
    name: str | None = None
    email: str | None = None
    # The language the requester used (the web form's), for replies when no customer
    # copy says otherwise.
    language: str | None = None


class TicketMessage(BaseModel):
    id: str
    author_kind: AuthorKind
    author_id: str | None = None
    body: str
    visibility: Visibility = Visibility.PUBLIC
    email_message_id: str | None = None
    attachment_ids: list[str] = []
    created_at: datetime


class StatusChange(BaseModel):
    from_status: TicketStatus | None
    to_status: TicketStatus
    actor_id: str | None
    at: datetime
    note: str | None = None


class TicketDraft(BaseModel):
    """What is known when a ticket comes in, from any channel."""

    subject: str
    description: str
    type: TicketType
    priority: Priority = Priority.NORMAL
    channel: Channel
    product: str | None = None
    customer_id: str | None = None
    requester: Requester = Requester()
    email_message_id: str | None = None


class Ticket(BaseModel):
    """A support ticket. ``version`` is the store's optimistic-concurrency counter."""

    id: str
    reference: str
    subject: str
    description: str
    type: TicketType
    priority: Priority
    channel: Channel
    product: str | None = None
    customer_id: str | None = None
    customer_tier: Tier = Tier.NORMAL
    requester: Requester = Requester()
    status: TicketStatus = TicketStatus.NEW
    assignee_id: str | None = None
    team: str | None = None
    escalation_level: int = 0
    sla: TicketSla
    messages: list[TicketMessage] = []
    history: list[StatusChange] = []
    email_thread_ids: list[str] = []
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    agent_reply_count: int = 0
    reopen_count: int = 0
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


Outcome = tuple[Ticket, list[EventData]]


def open_ticket(
    draft: TicketDraft,
    *,
    ticket_id: str,
    reference: str,
    tier: Tier,
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    actor_id: str | None,
    now: datetime,
) -> Outcome:
    first = TicketMessage(
        id=f"{ticket_id}-m1",
        author_kind=AuthorKind.CUSTOMER,
        author_id=draft.customer_id,
        body=draft.description,
        email_message_id=draft.email_message_id,
        created_at=now,
    )
    ticket = Ticket(
        id=ticket_id,
        reference=reference,
        subject=draft.subject,
        description=draft.description,
        type=draft.type,
        priority=draft.priority,
        channel=draft.channel,
        product=draft.product,
        customer_id=draft.customer_id,
        customer_tier=tier,
        requester=draft.requester,
        sla=start_sla(policy, calendar, now),
        messages=[first],
        history=[
            StatusChange(from_status=None, to_status=TicketStatus.NEW, actor_id=actor_id, at=now)
        ],
        email_thread_ids=[draft.email_message_id] if draft.email_message_id else [],
        opened_at=now,
    )
    return ticket, [_opened_event(ticket)]


def _opened_event(ticket: Ticket) -> TicketOpened:
    """The opening as announced. ``first_response_due`` is the running first-response
    clock's deadline under the policy that applies now (the customer is told it); none
    once the first answer was given or while the clock waits on the customer."""
    return TicketOpened(
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        type=ticket.type.value,
        priority=ticket.priority.value,
        channel=ticket.channel.value,
        subject=ticket.subject,
        product=ticket.product,
        opened_at=ticket.opened_at,
        first_response_due=ticket.sla.first_response.due_at,
    )


def link_customer(
    ticket: Ticket,
    *,
    customer_id: str,
    tier: Tier,
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    now: datetime,
) -> Outcome:
    """Give a ticket that came in without a customer (the public form, a sender nobody
    knows) to the customer an agent found it is from. Nothing else ever attaches a ticket
    to a customer after it is opened, so an e-mail typed into a public form cannot.

    The customer's tier brings its SLA targets from now on (an open ticket), and the
    opening is announced again, now naming the customer: their timeline and the figures
    per customer count the ticket, keyed by its id, as if it had come in with them."""
    if ticket.customer_id is not None:
        raise StateConflict(f"Ticket {ticket.reference} already belongs to a customer.")
    updated = ticket.model_copy(update={"customer_id": customer_id, "customer_tier": tier})
    if updated.is_open:
        updated = change_policy(
            updated, priority=ticket.priority, tier=tier, policy=policy, calendar=calendar, now=now
        )
    return updated, [_opened_event(updated)]


def _status_event(
    ticket: Ticket, previous: TicketStatus, actor_id: str | None, now: datetime
) -> TicketStatusChanged:
    return TicketStatusChanged(
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        from_status=previous.value,
        to_status=ticket.status.value,
        assignee_id=ticket.assignee_id,
        team=ticket.team,
        actor_id=actor_id,
        changed_at=now,
    )


def _resolved_event(ticket: Ticket, now: datetime) -> TicketResolved:
    first_response = (
        (ticket.first_response_at - ticket.opened_at).total_seconds()
        if ticket.first_response_at
        else None
    )
    return TicketResolved(
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        assignee_id=ticket.assignee_id,
        team=ticket.team,
        priority=ticket.priority.value,
        opened_at=ticket.opened_at,
        resolved_at=now,
        first_response_seconds=first_response,
        handling_seconds=(now - ticket.opened_at).total_seconds(),
        first_contact_resolution=is_first_contact_resolution(ticket),
        sla_met=not (ticket.sla.first_response.breached or ticket.sla.resolution.breached),
    )


def is_first_contact_resolution(ticket: Ticket) -> bool:
    """Solved with at most one agent reply and never reopened (T-7)."""
    return ticket.agent_reply_count <= 1 and ticket.reopen_count == 0


def change_status(
    ticket: Ticket,
    target: TicketStatus,
    *,
    actor_id: str | None,
    now: datetime,
    note: str | None = None,
) -> Outcome:
    """Move the ticket to ``target`` if the lifecycle allows it, with the SLA effects."""
    if not can_transition(ticket.status, target):
        raise InvalidTransition(f"A ticket cannot go from {ticket.status.value} to {target.value}.")
    if target is TicketStatus.ASSIGNED and ticket.assignee_id is None and ticket.team is None:
        raise InvalidTransition("Assign the ticket to an agent or a team first.")
    previous = ticket.status
    sla = ticket.sla
    changes: dict[str, object] = {"status": target}
    if previous is TicketStatus.WAITING_ON_CUSTOMER:
        sla = resume_sla(sla, now)
    if target is TicketStatus.WAITING_ON_CUSTOMER:
        sla = pause_sla(sla, now)
    if target is TicketStatus.RESOLVED:
        sla = stop_clock(sla, SlaClockName.FIRST_RESPONSE, now)
        sla = stop_clock(sla, SlaClockName.RESOLUTION, now)
        changes["resolved_at"] = now
    if target is TicketStatus.REOPENED:
        sla = restart_resolution(sla, now)
        changes["reopen_count"] = ticket.reopen_count + 1
        changes["resolved_at"] = None
    if target is TicketStatus.CLOSED:
        changes["closed_at"] = now
    change = StatusChange(
        from_status=previous, to_status=target, actor_id=actor_id, at=now, note=note
    )
    changes["sla"] = sla
    changes["history"] = [*ticket.history, change]
    updated = ticket.model_copy(update=changes)
    events: list[EventData] = [_status_event(updated, previous, actor_id, now)]
    if target is TicketStatus.RESOLVED:
        events.append(_resolved_event(updated, now))
    return updated, events


def assign(
    ticket: Ticket,
    *,
    assignee_id: str | None,
    team: str | None,
    actor_id: str | None,
    now: datetime,
    rule: str | None = None,
) -> Outcome:
    """Give the ticket to an agent and/or team; a new or reopened ticket becomes assigned."""
    if not ticket.is_open:
        raise InvalidTransition(f"A {ticket.status.value} ticket cannot be assigned.")
    if assignee_id is None and team is None:
        raise RuleViolation("Name an agent or a team.", field="assignee_id")
    updated = ticket.model_copy(update={"assignee_id": assignee_id, "team": team})
    events: list[EventData] = [
        TicketAssigned(
            ticket_id=ticket.id,
            customer_id=ticket.customer_id,
            assignee_id=assignee_id,
            team=team,
            rule=rule,
            actor_id=actor_id,
            subject=ticket.subject,
            priority=ticket.priority.value,
            assigned_at=now,
        )
    ]
    if ticket.status in (TicketStatus.NEW, TicketStatus.REOPENED):
        updated, status_events = change_status(
            updated, TicketStatus.ASSIGNED, actor_id=actor_id, now=now
        )
        events.extend(status_events)
    return updated, events


def escalate(
    ticket: Ticket,
    *,
    to_assignee_id: str | None,
    team: str | None,
    actor_id: str | None,
    reason: str | None,
    now: datetime,
) -> Outcome:
    """Hand the ticket to a higher support tier (or the team's manager)."""
    if not ticket.is_open:
        raise InvalidTransition(f"A {ticket.status.value} ticket cannot be escalated.")
    level = ticket.escalation_level + 1
    updated = ticket.model_copy(
        update={
            "assignee_id": to_assignee_id,
            "team": team or ticket.team,
            "escalation_level": level,
        }
    )
    event = TicketEscalated(
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        from_assignee_id=ticket.assignee_id,
        to_assignee_id=to_assignee_id,
        team=updated.team,
        level=level,
        reason=reason,
        actor_id=actor_id,
        subject=ticket.subject,
        priority=ticket.priority.value,
        escalated_at=now,
    )
    return updated, [event]


def _append(ticket: Ticket, message: TicketMessage) -> list[TicketMessage]:
    if len(ticket.messages) >= MAX_MESSAGES:
        raise StateConflict(f"A ticket holds at most {MAX_MESSAGES} messages; open a new one.")
    return [*ticket.messages, message]


def add_agent_message(ticket: Ticket, message: TicketMessage, *, now: datetime) -> Outcome:
    """An agent's reply or internal note. The first public reply stops the first-response
    clock, and an agent answering an assigned or reopened ticket starts working on it."""
    if ticket.status is TicketStatus.CLOSED:
        raise StateConflict("A closed ticket takes no more messages.")
    changes: dict[str, object] = {"messages": _append(ticket, message)}
    events: list[EventData] = []
    updated = ticket
    if message.visibility is Visibility.PUBLIC:
        changes["agent_reply_count"] = ticket.agent_reply_count + 1
        if ticket.first_response_at is None:
            changes["first_response_at"] = now
            changes["sla"] = stop_clock(ticket.sla, SlaClockName.FIRST_RESPONSE, now)
        if message.email_message_id:
            changes["email_thread_ids"] = [*ticket.email_thread_ids, message.email_message_id]
        updated = ticket.model_copy(update=changes)
        events.append(
            TicketReplied(
                ticket_id=ticket.id,
                customer_id=ticket.customer_id,
                message_id=message.id,
                author_id=message.author_id,
                replied_at=now,
            )
        )
        if ticket.status is TicketStatus.NEW:
            updated, more = assign(
                updated,
                assignee_id=message.author_id,
                team=ticket.team,
                actor_id=message.author_id,
                now=now,
            )
            events.extend(more)
        if updated.status in (TicketStatus.ASSIGNED, TicketStatus.REOPENED):
            updated, more = change_status(
                updated, TicketStatus.IN_PROGRESS, actor_id=message.author_id, now=now
            )
            events.extend(more)
    else:
        updated = ticket.model_copy(update=changes)
    return updated, events


def add_customer_message(ticket: Ticket, message: TicketMessage, *, now: datetime) -> Outcome:
    """The customer wrote again: a waiting ticket is worked on again, a resolved one reopens.

    A mail already on the ticket (same Message-ID, delivered twice) changes nothing.
    """
    if ticket.status is TicketStatus.CLOSED:
        raise StateConflict("A closed ticket takes no more messages.")
    thread_ids = ticket.email_thread_ids
    if message.email_message_id:
        if any(m.email_message_id == message.email_message_id for m in ticket.messages):
            return ticket, []
        thread_ids = list(dict.fromkeys([*thread_ids, message.email_message_id]))
    updated = ticket.model_copy(
        update={"messages": _append(ticket, message), "email_thread_ids": thread_ids}
    )
    events: list[EventData] = []
    follow_up = {
        TicketStatus.WAITING_ON_CUSTOMER: TicketStatus.IN_PROGRESS,
        TicketStatus.RESOLVED: TicketStatus.REOPENED,
    }.get(ticket.status)
    if follow_up is not None:
        updated, events = change_status(updated, follow_up, actor_id=None, now=now)
    return updated, events


class TicketDetails(BaseModel):
    """Editable facts of a ticket; None leaves a fact unchanged."""

    subject: str | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    product: str | None = None


def edit_details(ticket: Ticket, details: TicketDetails) -> Ticket:
    """The ticket with new details (a priority change needs :func:`change_policy` too)."""
    if not ticket.is_open:
        raise StateConflict(f"A {ticket.status.value} ticket cannot be edited.")
    changes = details.model_dump(exclude_none=True)
    return ticket.model_copy(update=changes)


def change_policy(
    ticket: Ticket,
    *,
    priority: Priority,
    tier: Tier,
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    now: datetime,
) -> Ticket:
    """A new priority or customer tier: the matching policy's targets apply from now on."""
    sla = reapply_policy(ticket.sla, policy, calendar, now)
    return ticket.model_copy(update={"priority": priority, "customer_tier": tier, "sla": sla})
