"""Unit tier: domain rules only, no servers. Test data comes from the ``make`` fixture
(no imports between test files, so every service's tiers can be collected in one run)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from support.domain.calendar import ALWAYS_OPEN, BusinessCalendar
from support.domain.sla import Priority, Tier, default_policy
from support.domain.tickets import (
    AuthorKind,
    Channel,
    Requester,
    Ticket,
    TicketDraft,
    TicketMessage,
    TicketType,
    Visibility,
    open_ticket,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def new_ticket(
    *,
    priority: Priority = Priority.NORMAL,
    tier: Tier = Tier.NORMAL,
    calendar: BusinessCalendar = ALWAYS_OPEN,
    at: datetime = T0,
) -> Ticket:
    draft = TicketDraft(
        subject="Cannot log in",
        description="The password is refused.",
        type=TicketType.TECHNICAL,
        priority=priority,
        channel=Channel.EMAIL,
        requester=Requester(name="Li", email="li@example.com"),
    )
    ticket, _ = open_ticket(
        draft,
        ticket_id="t1",
        reference="TKT-0000000A",
        tier=tier,
        policy=default_policy(priority, tier),
        calendar=calendar,
        actor_id=None,
        now=at,
    )
    return ticket


def agent_reply(at: datetime, *, internal: bool = False, author: str = "agent-1") -> TicketMessage:
    return TicketMessage(
        id=f"m-{at.timestamp()}",
        author_kind=AuthorKind.AGENT,
        author_id=author,
        body="Try resetting your password.",
        visibility=Visibility.INTERNAL if internal else Visibility.PUBLIC,
        created_at=at,
    )


def customer_reply(at: datetime) -> TicketMessage:
    return TicketMessage(
        id=f"c-{at.timestamp()}",
        author_kind=AuthorKind.CUSTOMER,
        body="Still broken.",
        created_at=at,
    )


@pytest.fixture
def make() -> SimpleNamespace:
    """Factories: ``ticket(...)``, ``agent_reply(at, ...)``, ``customer_reply(at)``; ``t0``."""
    return SimpleNamespace(
        t0=T0, ticket=new_ticket, agent_reply=agent_reply, customer_reply=customer_reply
    )
