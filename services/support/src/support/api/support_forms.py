"""/api/v1/support-forms/tickets: the public web form (no token).

Protected by bounded field sizes, the body size limit, a honeypot field that people
leave empty and bots fill in, and the gateway's rate limit on public routes. The
caller cannot choose priority, customer or assignee.

Anyone can type anyone's e-mail address, so the ticket is never attached to the customer
who has that address: it stays a ticket from an unverified requester (name and address
as typed, normal tier) until an agent links it (``PUT /api/v1/tickets/{id}/customer``).
The answer is the same whether or not the address belongs to a customer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, status
from pydantic import BaseModel, Field, StringConstraints

from crm_chassis.inputs import InputModel
from crm_chassis.languages import Language, accepted_language, choose_language
from support.api.deps import SupportDep
from support.api.ticket_schemas import Body, Email, ShortText, Subject
from support.domain.customer_texts import FORM_RECEIPT
from support.domain.routing import classify_ticket_type
from support.domain.tickets import Channel, Requester, TicketDraft, TicketType
from support.operations.tickets import open_new_ticket

router = APIRouter(prefix="/api/v1/support-forms", tags=["support-forms"])


class SupportFormIn(InputModel):
    name: ShortText
    email: Email
    subject: Subject
    description: Body
    type: TicketType | None = None
    product: ShortText | None = None
    website: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="Leave empty (spam trap)"
    )
    lang: Language | None = Field(
        default=None,
        description="The page's language, for the receipt and replies; none: the browser's",
    )


class SupportFormReceipt(BaseModel):
    reference: str | None
    message: str


@router.post("/tickets", status_code=status.HTTP_202_ACCEPTED)
async def submit_support_form(
    body: SupportFormIn,
    support: SupportDep,
    accept_language: Annotated[str | None, Header(max_length=500)] = None,
) -> SupportFormReceipt:
    """Opens a ticket; the receipt is in the form's ``lang``, else the browser's language
    (``Accept-Language``), else Chinese, and replies follow the same language."""
    written_in = body.lang or accepted_language(accept_language)
    receipt = FORM_RECEIPT[choose_language(written_in)]
    if body.website:  # a bot: answer like a success, store nothing
        return SupportFormReceipt(reference=None, message=receipt)
    draft = TicketDraft(
        subject=body.subject,
        description=body.description,
        type=body.type or classify_ticket_type(f"{body.subject}\n{body.description}"),
        channel=Channel.WEB,
        product=body.product,
        requester=Requester(name=body.name, email=body.email, language=written_in),
    )
    ticket = await open_new_ticket(support, draft, actor_id=None)
    return SupportFormReceipt(reference=ticket.reference, message=receipt)
