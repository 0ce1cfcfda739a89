"""/api/v1/lead-scoring, /lead-filters, /lead-routing-rules, /lead-routing-reps (admin-edited)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from crm_chassis.errors import NotFound
from crm_chassis.inputs import InputModel
from sales.api.deps import ComponentsDep, ReadLeads, SalesAdmin
from sales.domain.lead_filters import LeadFilter
from sales.domain.routing import (
    AssignmentStrategy,
    RoutingRule,
    RuleConditions,
    RuleTarget,
    SalesRep,
)
from sales.domain.scoring import ScoringConfig
from sales.operations import leads as lead_ops
from sales.operations.ids import new_id

router = APIRouter(prefix="/api/v1", tags=["lead settings"])


class ScoringOut(BaseModel):
    config: ScoringConfig
    rescored_leads: int = 0


class LeadFilters(InputModel):
    filters: list[LeadFilter] = Field(default_factory=list, max_length=100)


class RuleIn(InputModel):
    name: str = Field(min_length=1, max_length=120)
    position: int = Field(ge=0, le=100_000)
    enabled: bool = True
    conditions: RuleConditions = Field(default_factory=RuleConditions)
    target: RuleTarget = Field(default_factory=RuleTarget)
    strategy: AssignmentStrategy = AssignmentStrategy.LEAST_LOADED


class RepIn(InputModel):
    name: str = Field(min_length=1, max_length=120)
    team: str | None = Field(default=None, max_length=80)
    manager_id: str | None = Field(default=None, max_length=80)
    skills: list[str] = Field(default_factory=list, max_length=50)
    senior: bool = False
    active: bool = True


class RepOut(SalesRep):
    open_leads: int = 0
    open_tasks: int = 0


@router.get("/lead-scoring")
async def get_scoring(principal: ReadLeads, parts: ComponentsDep) -> ScoringOut:
    return ScoringOut(config=await parts.config.scoring())


@router.put("/lead-scoring")
async def put_scoring(
    body: ScoringConfig, principal: SalesAdmin, parts: ComponentsDep
) -> ScoringOut:
    """Change weights or rating tables; every open lead is rescored at once."""
    await parts.config.put_scoring(body)
    return ScoringOut(config=body, rescored_leads=await lead_ops.rescore_open_leads(parts))


@router.get("/lead-filters")
async def get_filters(principal: ReadLeads, parts: ComponentsDep) -> LeadFilters:
    return LeadFilters(filters=await parts.config.filters())


@router.put("/lead-filters")
async def put_filters(
    body: LeadFilters, principal: SalesAdmin, parts: ComponentsDep
) -> LeadFilters:
    await parts.config.put_filters(body.filters)
    return body


@router.get("/lead-routing-rules")
async def list_rules(principal: ReadLeads, parts: ComponentsDep) -> list[RoutingRule]:
    """The rule table in the order it is applied (first match wins)."""
    return await parts.routing.list_rules()


@router.post("/lead-routing-rules", status_code=status.HTTP_201_CREATED)
async def create_rule(body: RuleIn, principal: SalesAdmin, parts: ComponentsDep) -> RoutingRule:
    rule = RoutingRule(rule_id=new_id(), **body.model_dump())
    await parts.routing.put_rule(rule)
    return rule


@router.put("/lead-routing-rules/{rule_id}")
async def replace_rule(
    rule_id: str, body: RuleIn, principal: SalesAdmin, parts: ComponentsDep
) -> RoutingRule:
    if await parts.routing.get_rule(rule_id) is None:
        raise NotFound("No routing rule with that id.")
    rule = RoutingRule(rule_id=rule_id, **body.model_dump())
    await parts.routing.put_rule(rule)
    return rule


@router.delete("/lead-routing-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_rule(rule_id: str, principal: SalesAdmin, parts: ComponentsDep) -> Response:
    if not await parts.routing.delete_rule(rule_id):
        raise NotFound("No routing rule with that id.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/lead-routing-reps")
async def list_reps(
    principal: ReadLeads, parts: ComponentsDep, team: str | None = None
) -> list[RepOut]:
    """Reps with their current open lead and task counts (the least-loaded measure):
    people the user directory gives a sales role (inactive once they lose it or are
    deactivated) and reps entered here."""
    reps = await parts.routing.list_reps(team)
    loads = await parts.routing.loads([rep.rep_id for rep in reps])
    return [
        RepOut(
            **rep.model_dump(),
            open_leads=loads.get(rep.rep_id, {}).get("leads", 0),
            open_tasks=loads.get(rep.rep_id, {}).get("tasks", 0),
        )
        for rep in reps
    ]


@router.put("/lead-routing-reps/{rep_id}")
async def put_rep(
    rep_id: str, body: RepIn, principal: SalesAdmin, parts: ComponentsDep
) -> SalesRep:
    """Set a rep's routing attributes (skills, senior, manager_id), which directory
    changes keep. Name, team and active are set too, but the roster follows the
    gateway's user directory: its next change of the user (``crm.gateway.user.changed.v1``)
    sets them again. A rep_id the directory does not know is a rep only sales knows."""
    rep = SalesRep(rep_id=rep_id, **body.model_dump())
    await parts.routing.put_rep(rep)
    return rep
