"""Service KPIs (T-7) computed from ticket facts, overall, per agent and per team.

Over the tickets opened in the period:
- average first response: mean of (first public agent reply - opened), tickets with a reply;
- first-contact resolution: resolved tickets solved with at most one agent reply and
  never reopened / resolved tickets;
- CSAT: answered surveys scoring 4 or 5 / answered surveys;
- average handling time: mean of (resolved - opened) over resolved tickets;
- backlog by age: tickets still open, by how long ago they were opened (as of ``now``).
Targets from the specification: first response <= 5 min, FCR >= 80 %, CSAT >= 90 %,
handling <= 24 h.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel

TARGET_FIRST_RESPONSE_SECONDS = 5 * 60
TARGET_FCR_RATE = 0.8
TARGET_CSAT_RATE = 0.9
TARGET_HANDLING_SECONDS = 24 * 3600
SATISFIED_SCORE = 4

BACKLOG_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under_1_day", 86400),
    ("1_to_3_days", 3 * 86400),
    ("3_to_7_days", 7 * 86400),
    ("over_7_days", float("inf")),
)


class TicketFacts(BaseModel):
    ticket_id: str
    assignee_id: str | None
    team: str | None
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    is_open: bool
    first_contact_resolution: bool
    survey_score: int | None = None


class KpiFigures(BaseModel):
    tickets: int
    resolved: int
    average_first_response_seconds: float | None
    first_contact_resolution_rate: float | None
    csat_rate: float | None
    surveys_answered: int
    average_handling_seconds: float | None
    backlog_by_age: dict[str, int]
    meets_targets: dict[str, bool | None]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _at_most(value: float | None, target: float) -> bool | None:
    return None if value is None else value <= target


def _at_least(value: float | None, target: float) -> bool | None:
    return None if value is None else value >= target


def figures(tickets: Sequence[TicketFacts], now: datetime) -> KpiFigures:
    first_responses = [
        (t.first_response_at - t.opened_at).total_seconds()
        for t in tickets
        if t.first_response_at is not None
    ]
    resolved = [t for t in tickets if t.resolved_at is not None]
    handling = [(t.resolved_at - t.opened_at).total_seconds() for t in resolved if t.resolved_at]
    scores = [t.survey_score for t in tickets if t.survey_score is not None]
    backlog = dict.fromkeys((name for name, _ in BACKLOG_BUCKETS), 0)
    for ticket in tickets:
        if ticket.is_open:
            age = (now - ticket.opened_at).total_seconds()
            name = next(name for name, limit in BACKLOG_BUCKETS if age < limit)
            backlog[name] += 1
    average_first = _mean(first_responses)
    fcr = _ratio(sum(t.first_contact_resolution for t in resolved), len(resolved))
    csat = _ratio(sum(score >= SATISFIED_SCORE for score in scores), len(scores))
    average_handling = _mean(handling)
    return KpiFigures(
        tickets=len(tickets),
        resolved=len(resolved),
        average_first_response_seconds=average_first,
        first_contact_resolution_rate=fcr,
        csat_rate=csat,
        surveys_answered=len(scores),
        average_handling_seconds=average_handling,
        backlog_by_age=backlog,
        meets_targets={
            "first_response": _at_most(average_first, TARGET_FIRST_RESPONSE_SECONDS),
            "first_contact_resolution": _at_least(fcr, TARGET_FCR_RATE),
            "csat": _at_least(csat, TARGET_CSAT_RATE),
            "handling_time": _at_most(average_handling, TARGET_HANDLING_SECONDS),
        },
    )


def _grouped(
    tickets: Iterable[TicketFacts], key: Callable[[TicketFacts], str | None], now: datetime
) -> dict[str, KpiFigures]:
    groups: dict[str, list[TicketFacts]] = defaultdict(list)
    for ticket in tickets:
        group = key(ticket)
        if group is not None:
            groups[group].append(ticket)
    return {name: figures(members, now) for name, members in sorted(groups.items())}


class KpiReport(BaseModel):
    period_start: datetime
    period_end: datetime
    as_of: datetime
    overall: KpiFigures
    by_agent: dict[str, KpiFigures]
    by_team: dict[str, KpiFigures]


def kpi_report(
    tickets: Sequence[TicketFacts], *, period_start: datetime, period_end: datetime, now: datetime
) -> KpiReport:
    """KPIs of the tickets opened in ``[period_start, period_end)``."""
    in_period = [t for t in tickets if period_start <= t.opened_at < period_end]
    return KpiReport(
        period_start=period_start,
        period_end=period_end,
        as_of=now,
        overall=figures(in_period, now),
        by_agent=_grouped(in_period, lambda t: t.assignee_id, now),
        by_team=_grouped(in_period, lambda t: t.team, now),
    )
