"""/api/v1/opportunities: create, list, edit, move through stages (gates and history)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import NotFound
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Role
from sales.api.deps import ComponentsDep, IfMatch, ReadSales, WriteSales
from sales.api.opportunity_models import (
    OpportunityCreate,
    OpportunityOut,
    OpportunityPatch,
    StageMove,
)
from sales.api.visibility import ensure_customer_visible, ensure_visible, restricted
from sales.components import Components
from sales.domain.opportunities import Opportunity, OpportunityStatus
from sales.operations import opportunities as opportunity_ops
from sales.operations.ids import new_id

router = APIRouter(prefix="/api/v1/opportunities", tags=["opportunities"])

_SORTABLE = (
    "created_at",
    "updated_at",
    "amount",
    "expected_close",
    "stage_changed_at",
    "stalled_since",
    "probability",
)


async def visible_opportunity(
    parts: Components, principal: Principal, opportunity_id: str
) -> Opportunity:
    opportunity = await parts.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFound("No opportunity with that id.")
    ensure_visible(principal, opportunity.owner_id, opportunity.team, "opportunity")
    return opportunity


async def _out(
    parts: Components, opportunity: Opportunity, response: Response | None = None
) -> OpportunityOut:
    if response is not None:
        response.headers["ETag"] = etag(opportunity.version)
    return OpportunityOut.of(opportunity, await parts.customers.label(opportunity.customer_id))


async def _owner(
    parts: Components, principal: Principal, owner_id: str | None
) -> tuple[str, str | None]:
    """Reps own what they create; managers and admins may name another rep."""
    may_delegate = principal.has_role(Role.ADMIN) or principal.has_role(Role.SALES_MANAGER)
    chosen = owner_id if owner_id and may_delegate else principal.subject
    rep = await parts.routing.get_rep(chosen)
    return chosen, rep.team if rep else principal.team


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_opportunity(
    body: OpportunityCreate,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
) -> OpportunityOut:
    await ensure_customer_visible(parts, principal, body.customer_id)
    owner_id, team = await _owner(parts, principal, body.owner_id)
    pipeline = await opportunity_ops.pipeline_of(parts, body.pipeline_id)
    now = utc_now()
    fields = body.model_dump(exclude_none=True, exclude={"owner_id", "stage", "pipeline_id"})
    opportunity = Opportunity(
        opportunity_id=new_id(),
        pipeline_id=pipeline.pipeline_id,
        stage=body.stage or pipeline.first_stage.key,
        probability=pipeline.first_stage.probability,
        owner_id=owner_id,
        team=team,
        stage_changed_at=now,
        created_at=now,
        updated_at=now,
        **fields,
    )
    created = await opportunity_ops.create(
        parts, opportunity, principal.subject, scope=principal.sales_scope()
    )
    return await _out(parts, created, response)


@router.get("")
async def list_opportunities(
    principal: ReadSales,
    parts: ComponentsDep,
    page: PageDep,
    opportunity_status: Annotated[OpportunityStatus | None, Query(alias="status")] = None,
    stage: str | None = None,
    owner_id: str | None = None,
    team: str | None = None,
    customer_id: str | None = None,
    pipeline_id: str | None = None,
    min_amount: Annotated[Decimal | None, Query(ge=0)] = None,
    stalled: Annotated[
        bool | None,
        Query(description="true: stalled ones (stalled_since set); false: those not stalled"),
    ] = None,
    sort: str | None = None,
) -> Page[OpportunityOut]:
    filters = {
        "status": opportunity_status.value if opportunity_status else None,
        "stage": stage,
        "owner_id": owner_id,
        "team": team,
        "customer_id": customer_id,
        "pipeline_id": pipeline_id,
    }
    query = restricted(principal, filters)
    if min_amount is not None:
        query["amount"] = {"$gte": min_amount}
    if stalled is not None:
        query["stalled_since"] = {"$ne": None} if stalled else None
    order = parse_sort(sort, _SORTABLE, "-created_at")
    found = await parts.opportunities.find(query, sort=order, offset=page.offset, limit=page.limit)
    customers = await parts.customers.labels(o.customer_id for o in found)
    items = [OpportunityOut.of(o, customers.get(o.customer_id)) for o in found]
    total = await parts.opportunities.count(query)
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@router.get("/{opportunity_id}")
async def get_opportunity(
    opportunity_id: str, principal: ReadSales, parts: ComponentsDep, response: Response
) -> OpportunityOut:
    return await _out(parts, await visible_opportunity(parts, principal, opportunity_id), response)


@router.patch("/{opportunity_id}")
async def update_opportunity(
    opportunity_id: str,
    body: OpportunityPatch,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> OpportunityOut:
    version = expected_version(if_match)
    opportunity = await visible_opportunity(parts, principal, opportunity_id)
    changes = body.model_dump(exclude_unset=True)
    if "owner_id" in changes:
        changes["owner_id"], changes["team"] = await _owner(parts, principal, changes["owner_id"])
    saved = await opportunity_ops.edit(
        parts,
        opportunity,
        changes,
        version if version is not None else opportunity.version,
        scope=principal.sales_scope(),
    )
    return await _out(parts, saved, response)


@router.put("/{opportunity_id}/stage")
async def move_stage(
    opportunity_id: str,
    body: StageMove,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> OpportunityOut:
    """Move to another stage: forward moves must pass the gates of every stage entered;
    ``lost`` needs a reason; won and lost close the opportunity."""
    version = expected_version(if_match)
    opportunity = await visible_opportunity(parts, principal, opportunity_id)
    moved = await opportunity_ops.change_stage(
        parts,
        opportunity,
        body.stage,
        version=version if version is not None else opportunity.version,
        actor=principal.subject,
        reason=body.reason,
    )
    return await _out(parts, moved, response)
