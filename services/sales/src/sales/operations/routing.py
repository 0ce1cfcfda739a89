"""Choosing an owner for a lead with the rule table and the shared load counters."""

from __future__ import annotations

from dataclasses import dataclass

from sales.components import Components
from sales.domain.routing import AssignmentStrategy, LeadFacts, eligible_reps, rule_matches


@dataclass(frozen=True)
class Routed:
    owner_id: str
    team: str | None
    rule: str


async def route_lead(parts: Components, facts: LeadFacts) -> Routed | None:
    """Claim a rep by the first matching rule that has an eligible rep (or None).

    The claim already counts the lead in the rep's load; call :func:`release` if the
    lead is then not written.
    """
    rules = [rule for rule in await parts.routing.list_rules() if rule.enabled]
    if not rules:
        return None
    reps = await parts.routing.list_reps()
    for rule in rules:
        if not rule_matches(rule, facts):
            continue
        eligible = eligible_reps(rule.target, reps)
        if not eligible:
            continue
        rep_ids = [rep.rep_id for rep in eligible]
        if rule.strategy is AssignmentStrategy.ROUND_ROBIN:
            owner = await parts.routing.claim_round_robin(rule.rule_id, rep_ids, "leads")
        else:
            owner = await parts.routing.claim_least_loaded(rep_ids, "leads")
        team = next(rep.team for rep in eligible if rep.rep_id == owner)
        return Routed(owner_id=owner, team=team, rule=rule.name)
    return None


async def release(parts: Components, owner_id: str | None) -> None:
    if owner_id is not None:
        await parts.routing.add_load(owner_id, "leads", -1)
