"""KPIs (T-7) on a generated month of tickets match figures computed here, directly
from the generator's plan (not with the service's KPI code)."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import mean
from typing import Any

import pytest

from crm_contracts.access import Role
from support.components import components
from support.domain.calendar import ALWAYS_OPEN
from support.domain.lifecycle import TicketStatus
from support.domain.sla import Priority, Tier, default_policy
from support.domain.surveys import answer, survey_for_ticket
from support.domain.tickets import (
    AuthorKind,
    Channel,
    TicketDraft,
    TicketMessage,
    TicketType,
    add_agent_message,
    assign,
    change_status,
    open_ticket,
)

pytestmark = pytest.mark.integration

AGENTS = {"a1": "north", "a2": "north", "a3": "south"}


@dataclass
class Planned:
    ticket_id: str
    agent: str
    opened_at: datetime
    first_reply_after: timedelta | None
    extra_replies: int
    resolved_after: timedelta | None
    reopened: bool
    score: int | None


def plan_month(now: datetime, count: int, seed: int = 7) -> list[Planned]:
    """Tickets over the 30 days before ``now`` (opened on the half hour, so backlog ages
    stay far from whole-day bucket limits), plus a few older ones outside the period."""
    rng = random.Random(seed)
    plans = []
    for number in range(count):
        in_period = number % 10 != 0
        hours_ago = rng.randrange(1, 30 * 24) if in_period else rng.randrange(31 * 24, 40 * 24)
        replied = rng.random() < 0.9
        resolved = replied and rng.random() < 0.75
        plans.append(
            Planned(
                ticket_id=f"t{number:03d}",
                agent=rng.choice(sorted(AGENTS)),
                opened_at=now - timedelta(hours=hours_ago, minutes=30),
                first_reply_after=timedelta(seconds=rng.randrange(30, 900)) if replied else None,
                extra_replies=rng.choice([0, 0, 0, 1]) if replied else 0,
                resolved_after=timedelta(minutes=rng.randrange(20, 50)) if resolved else None,
                reopened=resolved and rng.random() < 0.1,
                score=rng.choice([None, 2, 3, 4, 5, 5]) if resolved else None,
            )
        )
    return plans


def _message(plan: Planned, at: datetime, n: int) -> TicketMessage:
    return TicketMessage(
        id=f"{plan.ticket_id}-r{n}",
        author_kind=AuthorKind.AGENT,
        author_id=plan.agent,
        body="Reply",
        created_at=at,
    )


async def store_planned(app: Any, plan: Planned) -> None:
    """Drive the ticket through the domain at the planned times and store it."""
    support = components(app.runtime)
    at = plan.opened_at
    draft = TicketDraft(
        subject="Printer offline",
        description="It stopped.",
        type=TicketType.TECHNICAL,
        channel=Channel.API,
    )
    ticket, _ = open_ticket(
        draft,
        ticket_id=plan.ticket_id,
        reference=f"TKT-{plan.ticket_id.upper():0>8}"[:12],
        tier=Tier.NORMAL,
        policy=default_policy(Priority.NORMAL, Tier.NORMAL),
        calendar=ALWAYS_OPEN,
        actor_id=None,
        now=at,
    )
    ticket, _ = assign(
        ticket, assignee_id=plan.agent, team=AGENTS[plan.agent], actor_id="lead", now=at
    )
    if plan.first_reply_after is not None:
        at = plan.opened_at + plan.first_reply_after
        ticket, _ = add_agent_message(ticket, _message(plan, at, 1), now=at)
        for n in range(plan.extra_replies):
            at += timedelta(minutes=1)
            ticket, _ = add_agent_message(ticket, _message(plan, at, n + 2), now=at)
    if plan.resolved_after is not None:
        resolved_at = plan.opened_at + plan.resolved_after
        ticket, _ = change_status(
            ticket, TicketStatus.RESOLVED, actor_id=plan.agent, now=resolved_at
        )
        if plan.reopened:
            ticket, _ = change_status(ticket, TicketStatus.REOPENED, actor_id=None, now=resolved_at)
            ticket, _ = change_status(
                ticket, TicketStatus.RESOLVED, actor_id=plan.agent, now=resolved_at
            )
    await support.tickets.insert(ticket, [])
    if plan.score is not None:
        survey = survey_for_ticket(
            survey_id=f"s-{plan.ticket_id}",
            ticket_id=ticket.id,
            ticket_reference=ticket.reference,
            customer_id=None,
            agent_id=plan.agent,
            team=AGENTS[plan.agent],
            email="someone@example.com",
            now=at,
        )
        await support.surveys.create_once(survey)
        answered, _ = answer(survey, score=plan.score, comment=None, now=at)
        await support.surveys.record_answer(answered, [])


def expected(plans: list[Planned], now: datetime) -> dict[str, object]:
    replied = [p for p in plans if p.first_reply_after is not None]
    resolved = [p for p in plans if p.resolved_after is not None]
    first_contact = [p for p in resolved if p.extra_replies == 0 and not p.reopened]
    scored = [p.score for p in plans if p.score is not None]
    backlog = {"under_1_day": 0, "1_to_3_days": 0, "3_to_7_days": 0, "over_7_days": 0}
    for p in plans:
        if p.resolved_after is None:
            days = (now - p.opened_at) / timedelta(days=1)
            bucket = (
                "under_1_day"
                if days < 1
                else "1_to_3_days"
                if days < 3
                else "3_to_7_days"
                if days < 7
                else "over_7_days"
            )
            backlog[bucket] += 1
    return {
        "tickets": len(plans),
        "resolved": len(resolved),
        "average_first_response_seconds": mean(p.first_reply_after.total_seconds() for p in replied)
        if replied
        else None,  # type: ignore[union-attr]
        "first_contact_resolution_rate": len(first_contact) / len(resolved) if resolved else None,
        "csat_rate": sum(s >= 4 for s in scored) / len(scored) if scored else None,
        "surveys_answered": len(scored),
        "average_handling_seconds": mean(p.resolved_after.total_seconds() for p in resolved)
        if resolved
        else None,  # type: ignore[union-attr]
        "backlog_by_age": backlog,
    }


def assert_figures(actual: dict[str, object], wanted: dict[str, object]) -> None:
    for name, value in wanted.items():
        if isinstance(value, float):
            assert actual[name] == pytest.approx(value, rel=1e-9), name
        else:
            assert actual[name] == value, name


async def test_kpis_of_a_generated_month_match_independent_figures(support) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    plans = plan_month(now, count=100)
    await asyncio.gather(*(store_planned(support, plan) for plan in plans))
    start, end = now - timedelta(days=30), now + timedelta(seconds=1)
    in_period = [p for p in plans if start <= p.opened_at < end]
    assert 0 < len(in_period) < len(plans)

    response = await support.client.get(
        "/api/v1/support-kpis",
        params={"from": start.isoformat(), "to": end.isoformat()},
        headers=support.auth(Role.ANALYST, subject="analyst-1"),
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert_figures(report["overall"], expected(in_period, now))
    for agent in AGENTS:
        assert_figures(
            report["by_agent"][agent], expected([p for p in in_period if p.agent == agent], now)
        )
    for team in set(AGENTS.values()):
        members = [p for p in in_period if AGENTS[p.agent] == team]
        assert_figures(report["by_team"][team], expected(members, now))


async def test_kpis_need_the_reports_permission(support) -> None:
    response = await support.client.get(
        "/api/v1/support-kpis", headers=support.auth(Role.SALES_REP)
    )
    assert response.status_code == 403
