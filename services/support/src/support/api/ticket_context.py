"""/api/v1/tickets/{id}/context: what an agent sees beside a ticket (T-5).

The customer's profile and recent history come from the local projection fed by
events (never the customer service's database), with their other recent tickets
and the knowledge articles most relevant to this one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from crm_contracts.access import SEES_EVERY_CUSTOMER
from support.api.deps import ReadTickets, SupportDep
from support.domain.lifecycle import TicketStatus
from support.domain.sla import Tier
from support.operations.access import visible_ticket
from support.operations.knowledge import search_articles
from support.store.customers import HistoryEntry

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])

RECENT_TICKETS = 10


class CustomerOut(BaseModel):
    id: str
    name: str | None
    tier: Tier
    owner_id: str | None
    history: list[HistoryEntry]


class RelatedTicketOut(BaseModel):
    id: str
    reference: str
    subject: str
    status: TicketStatus
    opened_at: datetime


class SuggestedArticleOut(BaseModel):
    id: str
    title: str
    category: str
    score: float


class TicketContextOut(BaseModel):
    ticket_id: str
    customer: CustomerOut | None
    requester_match: CustomerOut | None = Field(
        description=(
            "For a ticket without a customer: the customer with the e-mail address the "
            "requester gave, unverified (anyone can type an address). Check who wrote "
            "before linking the ticket with PUT /api/v1/tickets/{id}/customer."
        )
    )
    recent_tickets: list[RelatedTicketOut]
    suggested_articles: list[SuggestedArticleOut]


@router.get("/{ticket_id}/context")
async def ticket_context(
    ticket_id: str,
    support: SupportDep,
    principal: ReadTickets,
    articles: Annotated[int, Query(ge=0, le=20)] = 5,
) -> TicketContextOut:
    ticket = await visible_ticket(support, principal, ticket_id)
    customer_out = None
    recent: list[RelatedTicketOut] = []
    if ticket.customer_id:
        customer = await support.customers.get(ticket.customer_id)
        if customer is not None:
            customer_out = CustomerOut.model_validate(customer.model_dump())
        others = await support.tickets.recent_for_customer(
            ticket.customer_id, exclude=ticket.id, limit=RECENT_TICKETS
        )
        recent = [RelatedTicketOut.model_validate(t.model_dump()) for t in others]
    requester_match = None
    if (
        ticket.customer_id is None
        and ticket.requester.email
        and principal.roles & SEES_EVERY_CUSTOMER  # may be shown the requester's match
    ):
        match = await support.customers.by_email(ticket.requester.email)
        if match is not None:
            requester_match = CustomerOut.model_validate(match.model_dump())
    suggested = (
        await search_articles(
            support, f"{ticket.subject}\n{ticket.description}", category=None, limit=articles
        )
        if articles
        else []
    )
    return TicketContextOut(
        ticket_id=ticket.id,
        customer=customer_out,
        requester_match=requester_match,
        recent_tickets=recent,
        suggested_articles=[
            SuggestedArticleOut(
                id=s.article.id, title=s.article.title, category=s.article.category, score=s.score
            )
            for s in suggested
        ],
    )
