"""Rollups: small precomputed summaries of facts that the reports read.

Each fact names the rollups it belongs to (``rollup_keys``); a rollup is a pure
function of the facts that name it (``summarize``). After a fact changes, the
rollups it named before and after are recomputed from their facts, so they are as
idempotent and order-tolerant as the facts, and a rebuild gives the same values.
Facts are summed in id order and durations in whole seconds, so sums do not
depend on the order anything arrived in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from analytics.domain.facts import (
    CustomerFact,
    Fact,
    FactKind,
    OpportunityFact,
    SurveyFact,
    TicketFact,
)
from analytics.domain.periods import day_of, month_of, week_of

NONE = "-"
ALL = "*"


class Family(StrEnum):
    CUSTOMERS = "customers"  # by day the customer was created
    OPPS_CREATED = "opps_created"  # by month created: funnel and time in stage
    OPPS_CLOSED = "opps_closed"  # by month closed: won, lost, revenue
    OPPS_CLOSED_WEEKLY = "opps_closed_weekly"  # by ISO week closed
    OPPS_OPEN = "opps_open"  # open pipeline, by expected close month
    TICKETS_OPENED = "tickets_opened"  # by day opened, team and agent
    TICKETS_RESOLVED = "tickets_resolved"  # by month resolved, team and agent
    SURVEYS = "surveys"  # by month answered and agent


COUNTED: dict[Family, str] = {
    Family.CUSTOMERS: "customers",
    Family.TICKETS_OPENED: "opened",
}
"""Families whose only metric is how many facts name them, by metric name. One day's
rollup may stand for thousands of facts: the store counts those facts rather than
loading them."""

FAMILY_FACTS: dict[Family, FactKind] = {
    Family.CUSTOMERS: FactKind.CUSTOMER,
    Family.OPPS_CREATED: FactKind.OPPORTUNITY,
    Family.OPPS_CLOSED: FactKind.OPPORTUNITY,
    Family.OPPS_CLOSED_WEEKLY: FactKind.OPPORTUNITY,
    Family.OPPS_OPEN: FactKind.OPPORTUNITY,
    Family.TICKETS_OPENED: FactKind.TICKET,
    Family.TICKETS_RESOLVED: FactKind.TICKET,
    Family.SURVEYS: FactKind.SURVEY,
}


@dataclass(frozen=True)
class RollupKey:
    family: Family
    period: str
    owner: str = NONE
    team: str = NONE
    pipeline: str = NONE

    @property
    def is_total(self) -> bool:
        return self.owner == ALL

    @property
    def total(self) -> RollupKey:
        """The family's total over every rep, team and pipeline for this key's month (or
        week), which the dashboard reads instead of hundreds of small rollups."""
        return RollupKey(self.family, self.period[:8] if "W" in self.period else self.period[:7],
                         ALL, ALL, ALL)  # fmt: skip

    @property
    def id(self) -> str:
        return "|".join((self.family.value, self.period, self.owner, self.team, self.pipeline))

    def to_document(self) -> dict[str, str]:
        return {
            "family": self.family.value,
            "period": self.period,
            "owner": self.owner,
            "team": self.team,
            "pipeline": self.pipeline,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> RollupKey:
        return cls(
            family=Family(document["family"]),
            period=str(document["period"]),
            owner=str(document["owner"]),
            team=str(document["team"]),
            pipeline=str(document["pipeline"]),
        )


def _dim(value: str | None) -> str:
    if not value:
        return NONE
    return NONE + value if value == ALL else value


def rollup_keys(fact: Fact) -> list[RollupKey]:
    """The rollups a fact contributes to in its current state."""
    match fact:
        case CustomerFact() if fact.active and fact.created_at is not None:
            return [RollupKey(Family.CUSTOMERS, day_of(fact.created_at))]
        case OpportunityFact():
            return _opportunity_keys(fact)
        case TicketFact():
            # By the ticket's agent and team (its latest assignment), as the support
            # report filters both what was opened and what was resolved.
            assigned = {"owner": _dim(fact.assignee_id), "team": _dim(fact.team)}
            keys = []
            if fact.opened_at is not None:
                keys.append(RollupKey(Family.TICKETS_OPENED, day_of(fact.opened_at), **assigned))
            if fact.resolved_at is not None:
                keys.append(
                    RollupKey(Family.TICKETS_RESOLVED, month_of(fact.resolved_at), **assigned)
                )
            return keys
        case SurveyFact() if fact.answered_at is not None:
            return [
                RollupKey(Family.SURVEYS, month_of(fact.answered_at), owner=_dim(fact.agent_id))
            ]
    return []


def _opportunity_keys(fact: OpportunityFact) -> list[RollupKey]:
    dims = {
        "owner": _dim(fact.owner_id),
        "team": _dim(fact.team),
        "pipeline": _dim(fact.pipeline_id),
    }
    keys = []
    if fact.created_at is not None:
        keys.append(RollupKey(Family.OPPS_CREATED, month_of(fact.created_at), **dims))
    if fact.status == "open":
        keys.append(RollupKey(Family.OPPS_OPEN, (fact.expected_close or NONE)[:7], **dims))
    elif fact.closed_at is not None:
        keys.append(RollupKey(Family.OPPS_CLOSED, month_of(fact.closed_at), **dims))
        keys.append(RollupKey(Family.OPPS_CLOSED_WEEKLY, week_of(fact.closed_at), **dims))
    return keys


def summarize(family: Family, facts: Iterable[Fact]) -> dict[str, Any]:
    """The metrics of one rollup from the facts that name it."""
    ordered = sorted(facts, key=lambda fact: fact.id)
    match family:
        case Family.CUSTOMERS | Family.TICKETS_OPENED:
            return {COUNTED[family]: len(ordered)}
        case Family.OPPS_CREATED:
            return _created_metrics(_of(OpportunityFact, ordered))
        case Family.OPPS_CLOSED | Family.OPPS_CLOSED_WEEKLY:
            return _closed_metrics(_of(OpportunityFact, ordered))
        case Family.OPPS_OPEN:
            opportunities = _of(OpportunityFact, ordered)
            return {
                "open": len(opportunities),
                "amount": sum((o.amount for o in opportunities), Decimal(0)),
                "weighted": sum((o.amount * o.probability for o in opportunities), Decimal(0)),
            }
        case Family.TICKETS_RESOLVED:
            return _resolved_metrics(_of(TicketFact, ordered))
        case Family.SURVEYS:
            surveys = _of(SurveyFact, ordered)
            return {
                "answered": len(surveys),
                "satisfied": sum(1 for s in surveys if s.satisfied),
                "score_sum": sum(s.score for s in surveys),
            }


def merge_metrics(family: Family, parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The metrics of several rollups of one family added up (all metrics are counts or
    sums, except each stage's probability, which is the highest seen)."""
    total: dict[str, Any] = {}
    stages: dict[str, dict[str, Any]] = {}
    for metrics in parts:
        for name, value in metrics.items():
            if name == "stages":
                for row in value:
                    merged = stages.setdefault(
                        row["stage"],
                        {"stage": row["stage"], "probability": Decimal(row["probability"]),
                         "entered": 0, "exits": 0, "seconds_in_stage": 0},
                    )  # fmt: skip
                    merged["probability"] = max(merged["probability"], Decimal(row["probability"]))
                    for counter in ("entered", "exits", "seconds_in_stage"):
                        merged[counter] += int(row[counter])
            elif isinstance(value, Decimal):
                total[name] = total.get(name, Decimal(0)) + value
            else:
                total[name] = total.get(name, 0) + int(value)
    if family is Family.OPPS_CREATED:
        total["stages"] = [stages[stage] for stage in sorted(stages)]
    return total


_F = TypeVar("_F", bound=Fact)


def _of(model: type[_F], facts: Sequence[Fact]) -> list[_F]:
    return [fact for fact in facts if isinstance(fact, model)]


def _created_metrics(opportunities: list[OpportunityFact]) -> dict[str, Any]:
    entered: dict[str, int] = defaultdict(int)
    probability: dict[str, Decimal] = {}
    seconds: dict[str, int] = defaultdict(int)
    exits: dict[str, int] = defaultdict(int)
    for opportunity in opportunities:
        for stage, stage_probability in opportunity.stages_entered().items():
            entered[stage] += 1
            probability[stage] = max(probability.get(stage, Decimal(0)), stage_probability)
        for stage, duration in opportunity.stage_durations():
            seconds[stage] += round(duration)
            exits[stage] += 1
    stages = [
        {
            "stage": stage,
            "probability": probability[stage],
            "entered": entered[stage],
            "exits": exits.get(stage, 0),
            "seconds_in_stage": seconds.get(stage, 0),
        }
        for stage in sorted(entered)
    ]
    return {"created": len(opportunities), "stages": stages}


def _closed_metrics(opportunities: list[OpportunityFact]) -> dict[str, Any]:
    won = [o for o in opportunities if o.status == "won"]
    return {
        "won": len(won),
        "lost": sum(1 for o in opportunities if o.status == "lost"),
        "revenue": sum((o.amount for o in won), Decimal(0)),
        "seconds_to_close": sum(round((o.days_to_close() or 0) * 86400) for o in won),
        "timed_wins": sum(1 for o in won if o.days_to_close() is not None),
    }


def _resolved_metrics(tickets: list[TicketFact]) -> dict[str, Any]:
    responded = [t for t in tickets if t.first_response_seconds is not None]
    return {
        "resolved": len(tickets),
        "sla_met": sum(1 for t in tickets if t.sla_met),
        "first_contact": sum(1 for t in tickets if t.first_contact_resolution),
        "handling_seconds": sum(round(t.handling_seconds or 0) for t in tickets),
        "responded": len(responded),
        "first_response_seconds": sum(round(t.first_response_seconds or 0) for t in responded),
    }


__all__ = [
    "ALL",
    "COUNTED",
    "FAMILY_FACTS",
    "NONE",
    "Family",
    "RollupKey",
    "merge_metrics",
    "rollup_keys",
    "summarize",
]
