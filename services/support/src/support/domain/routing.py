"""Routing (T-3): classify a ticket, find the first matching rule, pick an agent.

Rules form an ordered table; the first enabled rule whose every condition holds wins
and names a team, the skills needed and how to pick the agent. Agents are chosen
among the active members of that team having every skill, least loaded first (open
tickets, then the agent id for a stable order). Escalation hands a ticket to an agent
of a higher support level in the team, or to the team's manager.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from support.domain.sla import Priority, Tier
from support.domain.tickets import Channel, TicketType

# Keywords for tickets that arrive without a type (email, web form); English and Chinese.
TYPE_KEYWORDS: dict[TicketType, tuple[str, ...]] = {
    TicketType.BILLING: (
        "invoice", "refund", "charge", "charged", "payment", "billing", "price", "receipt",
        "发票", "退款", "付款", "扣费", "账单",
    ),
    TicketType.COMPLAINT: (
        "complaint", "complain", "unacceptable", "terrible", "angry", "disappointed", "rude",
        "投诉", "不满", "差评",
    ),
    TicketType.SUGGESTION: (
        "suggest", "suggestion", "feature request", "would be nice", "idea", "improve",
        "建议", "希望增加",
    ),
}  # fmt: skip


def classify_ticket_type(text: str) -> TicketType:
    """The type whose keywords occur most often in ``text``; technical when none does."""
    lowered = text.lower()
    counts = {
        ticket_type: sum(lowered.count(word) for word in words)
        for ticket_type, words in TYPE_KEYWORDS.items()
    }
    best = max(counts, key=lambda t: counts[t])
    return best if counts[best] > 0 else TicketType.TECHNICAL


class AssignmentStrategy(StrEnum):
    LEAST_LOADED = "least_loaded"
    FIXED_AGENT = "fixed_agent"
    TEAM_QUEUE = "team_queue"  # the team picks it up; no agent chosen


class RuleMatch(BaseModel):
    """Conditions of a rule; an empty list matches anything."""

    model_config = ConfigDict(extra="forbid")

    types: list[TicketType] = []
    products: list[str] = []
    priorities: list[Priority] = []
    channels: list[Channel] = []
    tiers: list[Tier] = []
    keywords: list[str] = []


class RoutingRuleFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    position: int = Field(ge=0, le=100_000)
    enabled: bool = True
    match: RuleMatch = RuleMatch()
    team: str
    required_skills: list[str] = []
    strategy: AssignmentStrategy = AssignmentStrategy.LEAST_LOADED
    agent_id: str | None = None

    @model_validator(mode="after")
    def _fixed_needs_agent(self) -> RoutingRuleFields:
        if self.strategy is AssignmentStrategy.FIXED_AGENT and not self.agent_id:
            raise ValueError("a fixed_agent rule names its agent_id")
        return self


class RoutingRule(RoutingRuleFields):
    id: str


class Agent(BaseModel):
    """A support agent as routing sees them; ``id`` is their user id (token subject)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    team: str = Field(min_length=1, max_length=100)
    skills: list[str] = []
    level: int = Field(default=1, ge=1, le=5)
    is_manager: bool = False
    active: bool = True
    max_open_tickets: int = Field(default=50, ge=1)


class RoutingSubject(BaseModel):
    """The facts of a ticket routing looks at."""

    type: TicketType
    priority: Priority
    channel: Channel
    tier: Tier
    product: str | None = None
    text: str = ""


class RoutingDecision(BaseModel):
    rule_id: str | None
    team: str | None
    agent_id: str | None


def _words(text: str) -> str:
    return " " + re.sub(r"\s+", " ", text.lower()) + " "


def rule_matches(rule: RoutingRule, subject: RoutingSubject) -> bool:
    match = rule.match
    product = (subject.product or "").lower()
    text = _words(subject.text)
    checks = (
        not match.types or subject.type in match.types,
        not match.priorities or subject.priority in match.priorities,
        not match.channels or subject.channel in match.channels,
        not match.tiers or subject.tier in match.tiers,
        not match.products or product in {p.lower() for p in match.products},
        not match.keywords or any(k.lower() in text for k in match.keywords),
    )
    return all(checks)


def first_matching_rule(
    rules: Sequence[RoutingRule], subject: RoutingSubject
) -> RoutingRule | None:
    for rule in sorted(rules, key=lambda r: (r.position, r.id)):
        if rule.enabled and rule_matches(rule, subject):
            return rule
    return None


def least_loaded_agent(
    agents: Sequence[Agent],
    loads: Mapping[str, int],
    *,
    team: str,
    skills: Sequence[str] = (),
    min_level: int = 1,
    exclude: str | None = None,
) -> Agent | None:
    """The active team member with every skill, level at least ``min_level`` and room
    for another ticket, having the fewest open tickets."""
    wanted = {s.lower() for s in skills}
    candidates = [
        agent
        for agent in agents
        if agent.active
        and agent.team == team
        and agent.id != exclude
        and agent.level >= min_level
        and wanted <= {s.lower() for s in agent.skills}
        and loads.get(agent.id, 0) < agent.max_open_tickets
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda a: (loads.get(a.id, 0), a.level, a.id))


def route(
    rules: Sequence[RoutingRule],
    agents: Sequence[Agent],
    loads: Mapping[str, int],
    subject: RoutingSubject,
) -> RoutingDecision:
    """Where the ticket goes: first matching rule, then its assignment strategy."""
    rule = first_matching_rule(rules, subject)
    if rule is None:
        return RoutingDecision(rule_id=None, team=None, agent_id=None)
    agent_id: str | None = None
    if rule.strategy is AssignmentStrategy.FIXED_AGENT:
        agent_id = rule.agent_id
    elif rule.strategy is AssignmentStrategy.LEAST_LOADED:
        agent = least_loaded_agent(agents, loads, team=rule.team, skills=rule.required_skills)
        agent_id = agent.id if agent else None
    return RoutingDecision(rule_id=rule.id, team=rule.team, agent_id=agent_id)


def escalation_target(
    agents: Sequence[Agent], loads: Mapping[str, int], *, team: str, current_agent_id: str | None
) -> Agent | None:
    """An agent of a higher level than the current one in the team, least loaded first;
    failing that the team's manager."""
    current = next((a for a in agents if a.id == current_agent_id), None)
    level = current.level if current else 0
    higher = least_loaded_agent(
        agents, loads, team=team, min_level=level + 1, exclude=current_agent_id
    )
    if higher is not None:
        return higher
    managers = [a for a in agents if a.team == team and a.is_manager and a.active]
    managers = [a for a in managers if a.id != current_agent_id]
    return min(managers, key=lambda a: a.id) if managers else None
