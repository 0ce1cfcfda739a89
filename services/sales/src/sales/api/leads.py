"""/api/v1/leads: capture, list, edit, visits, assignment, conversion, import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from crm_chassis.auth import Principal
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import Forbidden, NotFound
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission, RecordScope, Role
from sales.api.deps import ComponentsDep, IfMatch, ReadLeads, WriteLeads
from sales.api.lead_models import (
    AssignmentIn,
    ConversionIn,
    ConversionOut,
    ImportResult,
    LeadCreate,
    LeadImport,
    LeadOut,
    LeadPatch,
)
from sales.api.visibility import ensure_visible, restricted
from sales.components import Components
from sales.domain.leads import Lead, LeadStatus
from sales.operations import leads as lead_ops
from sales.operations.routing import Routed

router = APIRouter(prefix="/api/v1/leads", tags=["leads"])

_SORTABLE = ("created_at", "updated_at", "score", "status")


async def _visible_lead(parts: Components, principal: Principal, lead_id: str) -> Lead:
    lead = await parts.leads.get(lead_id)
    if lead is None:
        raise NotFound("No lead with that id.")
    ensure_visible(principal, lead.owner_id, lead.team, "lead")
    return lead


def _with_etag(response: Response, lead: Lead) -> LeadOut:
    response.headers["ETag"] = etag(lead.version)
    return LeadOut.of(lead)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_lead(
    body: LeadCreate,
    principal: WriteLeads,
    parts: ComponentsDep,
    response: Response,
) -> LeadOut:
    lead = await lead_ops.capture(parts, body.draft(), keeper=await _keeper(parts, principal))
    return _with_etag(response, lead)


async def _keeper(parts: Components, principal: Principal) -> Routed | None:
    """A caller who sees only their own records (a rep) keeps a lead they enter: they
    found it, and would not see it otherwise. Leads from managers, admins and systems
    go through the rule table."""
    if principal.sales_scope() != RecordScope(owner_id=principal.subject):
        return None
    rep = await parts.routing.get_rep(principal.subject)
    team = rep.team if rep else principal.team
    return Routed(owner_id=principal.subject, team=team, rule="creator")


@router.post("/imports", status_code=status.HTTP_201_CREATED)
async def import_leads(
    body: LeadImport, principal: WriteLeads, parts: ComponentsDep
) -> ImportResult:
    """Import up to 5,000 leads; every row is validated before the first is stored."""
    lead_ids = []
    for row in body.leads:
        lead = await lead_ops.capture(parts, row.draft("import"))
        lead_ids.append(lead.lead_id)
    return ImportResult(imported=len(lead_ids), lead_ids=lead_ids)


@router.get("")
async def list_leads(
    principal: ReadLeads,
    parts: ComponentsDep,
    page: PageDep,
    lead_status: Annotated[LeadStatus | None, Query(alias="status")] = None,
    owner_id: str | None = None,
    team: str | None = None,
    source_channel: str | None = None,
    region: str | None = None,
    email: str | None = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    sort: str | None = None,
) -> Page[LeadOut]:
    filters = {
        "status": lead_status.value if lead_status else None,
        "owner_id": owner_id,
        "team": team,
        "source_channel": source_channel,
        "prospect.region": region,
        "prospect.email": email,
    }
    query = restricted(principal, filters)
    if min_score is not None:
        query["score"] = {"$gte": min_score}
    order = parse_sort(sort, _SORTABLE, "-created_at")
    leads = await parts.leads.find(query, sort=order, offset=page.offset, limit=page.limit)
    total = await parts.leads.count(query)
    return Page(
        items=[LeadOut.of(lead) for lead in leads],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{lead_id}")
async def get_lead(
    lead_id: str, principal: ReadLeads, parts: ComponentsDep, response: Response
) -> LeadOut:
    return _with_etag(response, await _visible_lead(parts, principal, lead_id))


@router.patch("/{lead_id}")
async def update_lead(
    lead_id: str,
    body: LeadPatch,
    principal: WriteLeads,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> LeadOut:
    version = expected_version(if_match)
    lead = await _visible_lead(parts, principal, lead_id)
    changes = body.model_dump(exclude_unset=True)
    prospect_fields = set(LeadPatch.model_fields) - {
        "product",
        "interest_level",
        "status",
        "disqualified_reason",
    }
    prospect = {key: changes.pop(key) for key in list(changes) if key in prospect_fields}
    if prospect:
        changes["prospect"] = prospect
    saved = await lead_ops.apply_changes(
        parts, lead, changes, version if version is not None else lead.version
    )
    return _with_etag(response, saved)


@router.post("/{lead_id}/visits")
async def record_visit(
    lead_id: str, principal: WriteLeads, parts: ComponentsDep, response: Response
) -> LeadOut:
    """Count a visit of the prospect (website, store, event); the score follows."""
    lead = await _visible_lead(parts, principal, lead_id)
    return _with_etag(response, await lead_ops.record_visit(parts, lead))


@router.put("/{lead_id}/assignment")
async def assign_lead(
    lead_id: str,
    body: AssignmentIn,
    principal: WriteLeads,
    parts: ComponentsDep,
    response: Response,
) -> LeadOut:
    """Managers and admins assign a lead by hand, or send no owner to run the rules."""
    if not (principal.has_role(Role.ADMIN) or principal.has_role(Role.SALES_MANAGER)):
        raise Forbidden("Only managers and admins assign leads.")
    lead = await _visible_lead(parts, principal, lead_id)
    if body.owner_id is None:
        saved = await lead_ops.route_again(parts, lead)
    else:
        rep = await parts.routing.get_rep(body.owner_id)
        if rep is None or not rep.active:
            raise NotFound("No active rep with that id.")
        saved = await lead_ops.assign_manually(parts, lead, rep.rep_id, rep.team)
    return _with_etag(response, saved)


@router.post("/{lead_id}/conversion", status_code=status.HTTP_201_CREATED)
async def convert_lead(
    lead_id: str,
    body: ConversionIn,
    principal: WriteLeads,
    parts: ComponentsDep,
) -> ConversionOut:
    """Turn a qualified lead into customer, contact and opportunity in one step.

    Answers at once with the ids; the customer service creates the customer and
    contact from the published event. Repeating the call returns the same ids.
    """
    if not principal.can(Permission.SALES_WRITE):
        raise Forbidden("Converting a lead creates an opportunity: sales:write is needed.")
    lead = await _visible_lead(parts, principal, lead_id)
    request = lead_ops.ConversionRequest(**body.model_dump())
    converted, opportunity = await lead_ops.convert(parts, lead, request, principal.subject)
    assert converted.conversion is not None
    return ConversionOut(
        lead_id=converted.lead_id,
        customer_id=converted.conversion.customer_id,
        contact_id=converted.conversion.contact_id,
        opportunity_id=opportunity.opportunity_id,
    )
