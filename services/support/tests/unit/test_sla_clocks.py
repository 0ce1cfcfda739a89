from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

from crm_contracts.events.registry import EventData
from crm_contracts.events.support import TicketOpened
from support.domain.calendar import BusinessCalendar, WorkingHours
from support.domain.lifecycle import TicketStatus
from support.domain.sla import (
    Priority,
    SlaClockName,
    SlaPolicy,
    Tier,
    default_policy,
    select_policy,
    stop_clock,
)
from support.domain.tickets import (
    Channel,
    Ticket,
    TicketDraft,
    TicketType,
    add_agent_message,
    assign,
    change_policy,
    change_status,
    link_customer,
    open_ticket,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


HOUR = 3600


def policy(policy_id: str, priority: Priority, tier: Tier | None, first: int) -> SlaPolicy:
    return SlaPolicy(
        id=policy_id,
        name=policy_id,
        priority=priority,
        tier=tier,
        first_response_seconds=first,
        resolution_seconds=10 * first,
    )


def test_vip_ticket_gets_four_hour_first_response_sla(make) -> None:
    ticket = make.ticket(tier=Tier.VIP)
    assert ticket.sla.first_response.target_seconds == 4 * HOUR
    assert ticket.sla.first_response.due_at == T0 + timedelta(hours=4)


def test_default_first_response_is_24_hours_and_tighter_for_high_priority_and_svip() -> None:
    assert default_policy(Priority.NORMAL, Tier.NORMAL).first_response_seconds == 24 * HOUR
    assert default_policy(Priority.HIGH, Tier.NORMAL).first_response_seconds < 24 * HOUR
    assert default_policy(Priority.NORMAL, Tier.SVIP).first_response_seconds < 4 * HOUR


def test_policy_for_the_exact_tier_wins_over_one_for_any_tier() -> None:
    policies = [
        policy("any", Priority.HIGH, None, HOUR),
        policy("vip", Priority.HIGH, Tier.VIP, 600),
        policy("low", Priority.LOW, None, 5 * HOUR),
    ]
    assert select_policy(policies, Priority.HIGH, Tier.VIP).id == "vip"
    assert select_policy(policies, Priority.HIGH, Tier.NORMAL).id == "any"
    assert select_policy(policies, Priority.URGENT, Tier.NORMAL).id == "default-normal-urgent"


def test_warning_comes_at_the_policy_ratio_of_the_target(make) -> None:
    ticket = make.ticket(tier=Tier.VIP)
    assert ticket.sla.first_response.warn_at == T0 + timedelta(hours=4 * 0.8)


def _working(make: SimpleNamespace, at_minutes: int = 10) -> Ticket:
    ticket = make.ticket()
    ticket, _ = assign(ticket, assignee_id="agent-1", team="north", actor_id="lead", now=T0)
    at = T0 + timedelta(minutes=at_minutes)
    ticket, _ = add_agent_message(ticket, make.agent_reply(at), now=at)
    return ticket


def test_clock_pauses_while_waiting_on_customer_and_resumes_with_what_was_left(make) -> None:
    ticket = _working(make)
    paused_at = T0 + timedelta(hours=2)
    waiting, _ = change_status(
        ticket, TicketStatus.WAITING_ON_CUSTOMER, actor_id="agent-1", now=paused_at
    )
    clock = waiting.sla.resolution
    assert clock.running_since is None
    assert clock.due_at is None
    assert clock.elapsed_seconds == 2 * HOUR

    resumed_at = paused_at + timedelta(days=2)
    working, _ = change_status(
        waiting, TicketStatus.IN_PROGRESS, actor_id="agent-1", now=resumed_at
    )
    assert working.sla.resolution.due_at == resumed_at + timedelta(hours=72 - 2)


def test_first_public_reply_stops_the_first_response_clock_but_a_note_does_not(make) -> None:
    ticket = make.ticket()
    noted, _ = add_agent_message(
        ticket, make.agent_reply(T0 + timedelta(minutes=1), internal=True), now=T0
    )
    assert noted.sla.first_response.stopped_at is None
    assert noted.first_response_at is None
    replied = _working(make, at_minutes=3)
    assert replied.first_response_at == T0 + timedelta(minutes=3)
    assert replied.sla.first_response.met() is True


def test_clock_stopped_after_its_target_counts_as_breached(make) -> None:
    ticket = make.ticket()
    late = T0 + timedelta(hours=25)
    stopped = stop_clock(ticket.sla, SlaClockName.FIRST_RESPONSE, late)
    assert stopped.first_response.met() is False


def test_new_priority_keeps_the_time_used_and_applies_the_new_target(make) -> None:
    ticket = make.ticket()
    later = T0 + timedelta(hours=1)
    urgent = change_policy(
        ticket,
        priority=Priority.URGENT,
        tier=Tier.NORMAL,
        policy=default_policy(Priority.URGENT, Tier.NORMAL),
        calendar=ticket.sla.calendar,
        now=later,
    )
    assert urgent.sla.first_response.elapsed_seconds == HOUR
    assert urgent.sla.first_response.due_at == T0 + timedelta(hours=2)


def _opened(events: Sequence[EventData]) -> TicketOpened:
    [opened] = [e for e in events if isinstance(e, TicketOpened)]
    return opened


def test_opening_announces_the_first_response_deadline_in_the_policys_business_hours() -> None:
    weekdays = BusinessCalendar(
        timezone="UTC",
        hours=[WorkingHours(weekday=d, start=time(9), end=time(17)) for d in range(5)],
    )
    draft = TicketDraft(
        subject="Invoice portal is down",
        description="It answers 500.",
        type=TicketType.TECHNICAL,
        priority=Priority.NORMAL,
        channel=Channel.API,
        customer_id="c-1",
    )
    late_monday = T0 + timedelta(hours=7)  # 16:00, one working hour left that day
    _, events = open_ticket(
        draft,
        ticket_id="t1",
        reference="TKT-0000000A",
        tier=Tier.VIP,
        policy=default_policy(Priority.NORMAL, Tier.VIP),  # four hours
        calendar=weekdays,
        actor_id=None,
        now=late_monday,
    )
    # One hour on Monday, three from Tuesday's opening at nine.
    assert _opened(events).first_response_due == datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


def test_linking_a_customer_announces_the_deadline_of_their_tier(make: SimpleNamespace) -> None:
    ticket = make.ticket()  # no customer yet, as from the public form
    assert ticket.sla.first_response.due_at == T0 + timedelta(hours=24)
    linked, events = link_customer(
        ticket,
        customer_id="c-vip",
        tier=Tier.VIP,
        policy=default_policy(Priority.NORMAL, Tier.VIP),
        calendar=ticket.sla.calendar,
        now=T0 + timedelta(hours=1),
    )
    opened = _opened(events)
    assert (opened.customer_id, opened.first_response_due) == ("c-vip", T0 + timedelta(hours=4))
    assert opened.first_response_due == linked.sla.first_response.due_at


def test_a_ticket_linked_after_its_first_answer_announces_no_deadline(
    make: SimpleNamespace,
) -> None:
    answered = _working(make).model_copy(update={"customer_id": None})
    _, events = link_customer(
        answered,
        customer_id="c-vip",
        tier=Tier.VIP,
        policy=default_policy(Priority.NORMAL, Tier.VIP),
        calendar=answered.sla.calendar,
        now=T0 + timedelta(hours=1),
    )
    assert _opened(events).first_response_due is None
