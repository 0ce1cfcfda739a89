from datetime import UTC, datetime, timedelta

import pytest

from crm_chassis.domain_errors import InvalidTransition, StateConflict
from crm_contracts.events.support import TicketResolved, TicketStatusChanged
from support.domain.lifecycle import TRANSITIONS, TicketStatus
from support.domain.tickets import (
    add_agent_message,
    add_customer_message,
    assign,
    change_status,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


S = TicketStatus


def test_new_ticket_cannot_skip_to_resolved(make) -> None:
    with pytest.raises(InvalidTransition):
        change_status(make.ticket(), S.RESOLVED, actor_id="agent-1", now=T0)


@pytest.mark.parametrize(
    ("start", "target"),
    [(s, t) for s in S for t in S if t not in TRANSITIONS[s]],
)
def test_only_listed_transitions_are_allowed(
    start: TicketStatus, target: TicketStatus, make
) -> None:
    ticket = make.ticket().model_copy(update={"status": start, "assignee_id": "agent-1"})
    with pytest.raises(InvalidTransition):
        change_status(ticket, target, actor_id="agent-1", now=T0)


def test_every_transition_is_recorded_with_actor_and_time(make) -> None:
    ticket, events = assign(
        make.ticket(), assignee_id="agent-1", team="north", actor_id="lead", now=T0
    )
    later = T0 + timedelta(minutes=5)
    ticket, more = change_status(ticket, S.IN_PROGRESS, actor_id="agent-1", now=later, note="on it")
    assert [(h.from_status, h.to_status, h.actor_id) for h in ticket.history] == [
        (None, S.NEW, None),
        (S.NEW, S.ASSIGNED, "lead"),
        (S.ASSIGNED, S.IN_PROGRESS, "agent-1"),
    ]
    assert ticket.history[-1].at == later
    assert ticket.history[-1].note == "on it"
    changed = [e for e in [*events, *more] if isinstance(e, TicketStatusChanged)]
    assert [(e.from_status, e.to_status) for e in changed] == [
        ("new", "assigned"),
        ("assigned", "in_progress"),
    ]


def test_resolution_with_one_reply_is_first_contact_resolution(make) -> None:
    ticket, _ = assign(make.ticket(), assignee_id="agent-1", team="north", actor_id="lead", now=T0)
    ticket, _ = add_agent_message(
        ticket, make.agent_reply(T0 + timedelta(minutes=4)), now=T0 + timedelta(minutes=4)
    )
    assert ticket.status is S.IN_PROGRESS
    ticket, events = change_status(
        ticket, S.RESOLVED, actor_id="agent-1", now=T0 + timedelta(hours=1)
    )
    resolved = next(e for e in events if isinstance(e, TicketResolved))
    assert resolved.first_contact_resolution is True
    assert resolved.first_response_seconds == 240
    assert resolved.handling_seconds == 3600
    assert resolved.sla_met is True


def test_customer_reply_reopens_a_resolved_ticket_which_is_then_no_first_contact_resolution(
    make,
) -> None:

    ticket, _ = assign(make.ticket(), assignee_id="agent-1", team="north", actor_id="lead", now=T0)
    ticket, _ = add_agent_message(ticket, make.agent_reply(T0), now=T0)
    ticket, _ = change_status(ticket, S.RESOLVED, actor_id="agent-1", now=T0 + timedelta(hours=1))
    ticket, _ = add_customer_message(
        ticket, make.customer_reply(T0 + timedelta(hours=2)), now=T0 + timedelta(hours=2)
    )
    assert ticket.status is S.REOPENED
    assert ticket.reopen_count == 1
    assert ticket.sla.resolution.is_running
    ticket, events = change_status(
        ticket, S.RESOLVED, actor_id="agent-1", now=T0 + timedelta(hours=3)
    )
    assert (
        next(e for e in events if isinstance(e, TicketResolved)).first_contact_resolution is False
    )


def test_closed_ticket_takes_no_more_messages(make) -> None:
    ticket = make.ticket().model_copy(update={"status": S.CLOSED})
    with pytest.raises(StateConflict):
        add_customer_message(ticket, make.customer_reply(T0), now=T0)


def test_same_customer_mail_twice_is_recorded_once(make) -> None:
    message = make.customer_reply(T0).model_copy(update={"email_message_id": "<m@x>"})
    ticket, _ = add_customer_message(make.ticket(), message, now=T0)
    again, events = add_customer_message(ticket, message, now=T0)
    assert again == ticket
    assert events == []
