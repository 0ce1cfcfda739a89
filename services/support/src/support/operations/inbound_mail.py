"""An inbound e-mail becomes a ticket, or a reply on the ticket it answers.

Idempotent per Message-ID: a provider retrying the same delivery finds the message
already on a ticket and changes nothing (a unique index settles two at once).
"""

from __future__ import annotations

from pydantic import BaseModel

from crm_chassis.domain_errors import DuplicateValue
from support.components import Components
from support.domain.inbound_mail import InboundMail
from support.domain.lifecycle import TicketStatus
from support.domain.routing import classify_ticket_type
from support.domain.tickets import (
    AuthorKind,
    Channel,
    Requester,
    Ticket,
    TicketDraft,
    TicketMessage,
)
from support.operations.attachments import AttachmentRefused, store_attachment
from support.operations.ids import new_id
from support.operations.tickets import add_customer_reply, open_new_ticket


class MailOutcome(BaseModel):
    ticket_id: str
    reference: str
    created: bool
    duplicate: bool = False


async def receive_mail(support: Components, mail: InboundMail) -> MailOutcome:
    existing = await support.tickets.find_by_thread([mail.message_id], None)
    if existing is not None:
        return MailOutcome(
            ticket_id=existing.id, reference=existing.reference, created=False, duplicate=True
        )
    thread = await support.tickets.find_by_thread(mail.thread_ids, None)
    if thread is None and mail.reference:
        # A reference in the subject is easy to guess: only the requester may use it.
        by_reference = await support.tickets.find_by_thread([], mail.reference)
        if by_reference is not None and by_reference.requester.email == mail.sender_email:
            thread = by_reference
    if thread is not None and thread.status is not TicketStatus.CLOSED:
        return await _reply(support, thread, mail)
    return await _new_ticket(support, mail)


async def _reply(support: Components, ticket: Ticket, mail: InboundMail) -> MailOutcome:
    message_id = new_id()
    attachment_ids = await _attachments(support, ticket.id, mail)
    message = TicketMessage(
        id=message_id,
        author_kind=AuthorKind.CUSTOMER,
        author_id=ticket.customer_id,
        body=mail.body,
        email_message_id=mail.message_id,
        attachment_ids=attachment_ids,
        created_at=support.now(),
    )
    updated = await add_customer_reply(support, ticket.id, message)
    return MailOutcome(ticket_id=updated.id, reference=updated.reference, created=False)


async def _new_ticket(support: Components, mail: InboundMail) -> MailOutcome:
    customer = await support.customers.by_email(mail.sender_email)
    draft = TicketDraft(
        subject=mail.subject,
        description=mail.body or mail.subject,
        type=classify_ticket_type(f"{mail.subject}\n{mail.body}"),
        channel=Channel.EMAIL,
        customer_id=customer.id if customer else None,
        requester=Requester(name=mail.sender_name, email=mail.sender_email),
        email_message_id=mail.message_id,
    )
    try:
        ticket = await open_new_ticket(support, draft, actor_id=None)
    except DuplicateValue:  # the same mail delivered twice at once: the other won
        existing = await support.tickets.by_origin_mail(mail.message_id)
        assert existing is not None
        return MailOutcome(
            ticket_id=existing.id, reference=existing.reference, created=False, duplicate=True
        )
    await _attachments(support, ticket.id, mail)
    return MailOutcome(ticket_id=ticket.id, reference=ticket.reference, created=True)


async def _attachments(support: Components, ticket_id: str, mail: InboundMail) -> list[str]:
    """Keep the mail's attachments that fit the limits; the text matters more than a
    refused file, so an oversized or unsupported one is skipped, not fatal."""
    kept = []
    for attachment in mail.attachments:
        try:
            meta = await store_attachment(
                support,
                ticket_id=ticket_id,
                filename=attachment.filename,
                content_type=attachment.content_type,
                data=attachment.data,
                uploaded_by=None,
            )
        except AttachmentRefused:
            continue
        kept.append(meta.id)
    return kept
