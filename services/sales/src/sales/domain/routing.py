"""Lead assignment rules (S-3): an ordered rule table, first match wins.

A rule matches a lead on territory (region), industry, product and a minimum
score (high-priority leads), and names who may take it (a team, listed reps,
senior reps only, a required skill) and how to pick among them (round-robin or
least-loaded). Picking itself needs shared counters, so it lives in the store;
here are the pure decisions: which rule, which reps are eligible, which one is
least loaded in a snapshot.

The roster of reps follows the gateway's user directory (``crm.gateway.user.changed.v1``):
:func:`directory_entry` says what a directory entry makes of a person on the roster.
A sales admin adds the routing attributes (skills, senior, manager) the directory
does not know.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from crm_contracts.access import Role

# Who the directory puts on the roster: people holding one of these roles.
SELLING_ROLES: Final = frozenset({Role.SALES_REP.value, Role.SALES_MANAGER.value})


class AssignmentStrategy(StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"


class SalesRep(BaseModel):
    """A person leads, opportunities and tasks can be assigned to."""

    rep_id: str
    name: str
    team: str | None = None
    manager_id: str | None = None
    skills: list[str] = Field(default_factory=list)
    senior: bool = False
    active: bool = True


@dataclass(frozen=True)
class DirectoryEntry:
    """What the user directory says of one person, as far as the roster goes.

    ``sells``: the person holds a selling role, so is listed on the roster; ``active``:
    they may be assigned anew (an active account with a selling role). Someone who
    stops selling stays on the roster, inactive, so their records still resolve.
    """

    name: str
    team: str | None
    active: bool
    sells: bool


def directory_entry(
    *, display_name: str, email: str, roles: Iterable[str], team: str | None, active: bool
) -> DirectoryEntry:
    """The roster's view of a directory entry; the name falls back to the e-mail
    when the directory has no display name."""
    sells = not SELLING_ROLES.isdisjoint(roles)
    return DirectoryEntry(
        name=display_name.strip() or email, team=team, active=active and sells, sells=sells
    )


class RuleConditions(BaseModel):
    """Every given condition must hold; an empty list means "any"."""

    model_config = ConfigDict(extra="forbid")

    regions: list[str] = Field(default_factory=list, max_length=200)
    industries: list[str] = Field(default_factory=list, max_length=200)
    products: list[str] = Field(default_factory=list, max_length=200)
    min_score: int | None = Field(default=None, ge=0, le=100)


class RuleTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team: str | None = None
    rep_ids: list[str] = Field(default_factory=list, max_length=500)
    senior_only: bool = False
    skill: str | None = None


class RoutingRule(BaseModel):
    rule_id: str
    name: str
    position: int
    enabled: bool = True
    conditions: RuleConditions = Field(default_factory=RuleConditions)
    target: RuleTarget = Field(default_factory=RuleTarget)
    strategy: AssignmentStrategy = AssignmentStrategy.LEAST_LOADED


class LeadFacts(BaseModel):
    """What routing looks at on a lead."""

    region: str | None = None
    industry: str | None = None
    product: str | None = None
    score: int = 0


def _same(value: str | None, allowed: Iterable[str]) -> bool:
    if value is None:
        return False
    folded = value.strip().casefold()
    return any(folded == option.strip().casefold() for option in allowed)


def rule_matches(rule: RoutingRule, lead: LeadFacts) -> bool:
    conditions = rule.conditions
    if conditions.regions and not _same(lead.region, conditions.regions):
        return False
    if conditions.industries and not _same(lead.industry, conditions.industries):
        return False
    if conditions.products and not _same(lead.product, conditions.products):
        return False
    return conditions.min_score is None or lead.score >= conditions.min_score


def eligible_reps(target: RuleTarget, reps: Iterable[SalesRep]) -> list[SalesRep]:
    """Active reps the target allows, in a stable order (by id)."""
    chosen = []
    for rep in reps:
        if not rep.active:
            continue
        if target.team is not None and rep.team != target.team:
            continue
        if target.rep_ids and rep.rep_id not in target.rep_ids:
            continue
        if target.senior_only and not rep.senior:
            continue
        if target.skill is not None and not _same(target.skill, rep.skills):
            continue
        chosen.append(rep)
    return sorted(chosen, key=lambda rep: rep.rep_id)


def first_matching_rule(rules: Sequence[RoutingRule], lead: LeadFacts) -> RoutingRule | None:
    for rule in sorted(rules, key=lambda rule: rule.position):
        if rule.enabled and rule_matches(rule, lead):
            return rule
    return None


def round_robin_pick(rep_ids: Sequence[str], turn: int) -> str:
    """The rep whose turn it is; ``turn`` comes from a shared, atomically increased counter."""
    if not rep_ids:
        raise ValueError("no reps to choose from")
    return rep_ids[turn % len(rep_ids)]
