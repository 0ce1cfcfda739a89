"""/api/v1/tickets: intake, lists, lifecycle, assignment, escalation, conversation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from crm_chassis.concurrency import etag
from crm_chassis.pagination import Page, PageDep, parse_sort
from support.api.deps import IfMatchOptional, IfMatchRequired, ReadTickets, SupportDep, WriteTickets
from support.api.ticket_schemas import (
    AssignmentIn,
    EscalationIn,
    MessageIn,
    TicketCreate,
    TicketCustomerIn,
    TicketOut,
    TicketPatch,
    TicketSummaryOut,
    TransitionIn,
)
from support.domain.lifecycle import TicketStatus
from support.domain.routing import classify_ticket_type
from support.domain.sla import Priority
from support.domain.tickets import (
    Channel,
    Requester,
    Ticket,
    TicketDetails,
    TicketDraft,
    TicketType,
)
from support.operations import tickets as use_cases
from support.operations.access import ticket_scope, visible_ticket, work_check

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])

SORTABLE = ("opened_at", "resolved_at", "status", "sla.resolution.due_at")


def _shaped(ticket: Ticket, response: Response) -> TicketOut:
    response.headers["ETag"] = etag(ticket.version)
    return TicketOut.of(ticket)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_ticket(
    body: TicketCreate, support: SupportDep, principal: WriteTickets, response: Response
) -> TicketOut:
    draft = TicketDraft(
        subject=body.subject,
        description=body.description,
        type=body.type or classify_ticket_type(f"{body.subject}\n{body.description}"),
        priority=body.priority,
        channel=body.channel,
        product=body.product,
        customer_id=body.customer_id,
        requester=Requester(name=body.requester_name, email=body.requester_email),
    )
    ticket = await use_cases.open_new_ticket(support, draft, actor_id=principal.subject)
    response.headers["Location"] = f"/api/v1/tickets/{ticket.id}"
    return _shaped(ticket, response)


@router.get("")
async def list_tickets(
    support: SupportDep,
    principal: ReadTickets,
    page: PageDep,
    status_: Annotated[list[TicketStatus] | None, Query(alias="status")] = None,
    assignee_id: str | None = None,
    team: str | None = None,
    customer_id: str | None = None,
    priority: Priority | None = None,
    type_: Annotated[TicketType | None, Query(alias="type")] = None,
    channel: Channel | None = None,
    sla_breached: bool | None = None,
    sort: Annotated[str | None, Query(description="e.g. -opened_at")] = None,
) -> Page[TicketSummaryOut]:
    filters: dict[str, Any] = {
        "status": {"$in": [s.value for s in status_]} if status_ else None,
        "assignee_id": assignee_id,
        "team": team,
        "customer_id": customer_id,
        "priority": priority.value if priority else None,
        "type": type_.value if type_ else None,
        "channel": channel.value if channel else None,
    }
    query: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
    if sla_breached is not None:
        breached = [{"sla.first_response.breached": True}, {"sla.resolution.breached": True}]
        query["$or" if sla_breached else "$nor"] = breached
    scope = await ticket_scope(support, principal)
    if scope:
        query = {"$and": [scope, query]}
    spec = parse_sort(sort, SORTABLE, "-opened_at")
    found = await support.tickets.page(query, sort=spec, offset=page.offset, limit=page.limit)
    return Page[TicketSummaryOut](
        items=[TicketSummaryOut.of(t) for t in found.items],
        total=found.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{ticket_id}")
async def get_ticket(
    ticket_id: str, support: SupportDep, principal: ReadTickets, response: Response
) -> TicketOut:
    return _shaped(await visible_ticket(support, principal, ticket_id), response)


@router.patch("/{ticket_id}")
async def patch_ticket(
    ticket_id: str,
    body: TicketPatch,
    support: SupportDep,
    principal: WriteTickets,
    version: IfMatchRequired,
    response: Response,
) -> TicketOut:
    ticket = await use_cases.edit_ticket(
        support,
        ticket_id,
        TicketDetails.model_validate(body.model_dump()),
        expected_version=version,
        check=work_check(principal),
    )
    return _shaped(ticket, response)


@router.put("/{ticket_id}/customer")
async def link_ticket_customer(
    ticket_id: str,
    body: TicketCustomerIn,
    support: SupportDep,
    principal: WriteTickets,
    version: IfMatchOptional,
    response: Response,
) -> TicketOut:
    """Link a ticket that came in without a customer (the public web form never links one
    by the e-mail typed into it) to the customer it is from; 409 once it has one."""
    await visible_ticket(support, principal, ticket_id)
    ticket = await use_cases.link_ticket_customer(
        support,
        ticket_id,
        body.customer_id,
        expected_version=version,
        check=work_check(principal),
    )
    return _shaped(ticket, response)


@router.post("/{ticket_id}/transitions")
async def transition_ticket(
    ticket_id: str,
    body: TransitionIn,
    support: SupportDep,
    principal: WriteTickets,
    version: IfMatchOptional,
    response: Response,
) -> TicketOut:
    """Move the ticket through its lifecycle; invalid transitions answer 409."""
    ticket = await use_cases.transition(
        support,
        ticket_id,
        body.to,
        actor_id=principal.subject,
        note=body.note,
        expected_version=version,
        check=work_check(principal),
    )
    return _shaped(ticket, response)


@router.post("/{ticket_id}/assignment")
async def assign_ticket(
    ticket_id: str,
    body: AssignmentIn,
    support: SupportDep,
    principal: WriteTickets,
    version: IfMatchOptional,
    response: Response,
) -> TicketOut:
    ticket = await use_cases.assign_ticket(
        support,
        ticket_id,
        assignee_id=body.assignee_id,
        team=body.team,
        actor_id=principal.subject,
        expected_version=version,
        check=work_check(principal),
    )
    return _shaped(ticket, response)


@router.post("/{ticket_id}/escalation")
async def escalate_ticket(
    ticket_id: str,
    body: EscalationIn,
    support: SupportDep,
    principal: WriteTickets,
    version: IfMatchOptional,
    response: Response,
) -> TicketOut:
    ticket = await use_cases.escalate_ticket(
        support,
        ticket_id,
        reason=body.reason,
        actor_id=principal.subject,
        expected_version=version,
        check=work_check(principal),
    )
    return _shaped(ticket, response)


@router.post("/{ticket_id}/messages", status_code=status.HTTP_201_CREATED)
async def add_message(
    ticket_id: str,
    body: MessageIn,
    support: SupportDep,
    principal: WriteTickets,
    response: Response,
) -> TicketOut:
    """An agent's public reply or internal note."""
    ticket = await use_cases.add_agent_reply(
        support,
        ticket_id,
        agent_id=principal.subject,
        body=body.body,
        visibility=body.visibility,
        attachment_ids=body.attachment_ids,
        check=work_check(principal),
    )
    return _shaped(ticket, response)
