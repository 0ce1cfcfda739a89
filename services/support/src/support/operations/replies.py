"""Agents' public replies mailed to the requester, threaded like any conversation, with
a footer in the customer's language (:func:`support.domain.customer_texts.reply_language`).

The reply's Message-ID is fixed when the reply is stored (and recorded among the
ticket's thread ids), so the customer's answer threads onto the ticket. Mailing runs
from the ticket-replied event, at least once; a repeat carries the same Message-ID,
which mail clients show once.
"""

from __future__ import annotations

from email.message import EmailMessage

from crm_chassis.languages import Language
from crm_chassis.mail import send_mail
from support.components import Components
from support.domain.customer_texts import REPLY_FOOTER, reply_language
from support.domain.tickets import AuthorKind, Ticket, TicketMessage
from support.settings import Settings


def reply_message_id(settings: Settings, message_id: str) -> str:
    return f"<{message_id}@{settings.support_address.split('@')[-1]}>"


def reply_mail(
    settings: Settings, ticket: Ticket, message: TicketMessage, language: Language
) -> EmailMessage:
    assert ticket.requester.email is not None
    assert message.email_message_id is not None
    customer_ids = [
        m.email_message_id
        for m in ticket.messages
        if m.author_kind is AuthorKind.CUSTOMER and m.email_message_id
    ]
    mail = EmailMessage()
    mail["From"] = settings.support_address
    mail["To"] = ticket.requester.email
    mail["Subject"] = f"Re: [{ticket.reference}] {ticket.subject}"
    mail["Message-ID"] = message.email_message_id
    if customer_ids:
        mail["In-Reply-To"] = customer_ids[-1]
        mail["References"] = " ".join(customer_ids[-10:])
    footer = REPLY_FOOTER[language].format(reference=ticket.reference)
    mail.set_content(f"{message.body}\n\n-- \n{footer}")
    mail["Content-Language"] = language.value  # after set_content, which drops Content-*
    return mail


async def mail_reply(support: Components, ticket_id: str, message_id: str) -> bool:
    """Send the reply to the requester; False when there is nobody to mail."""
    ticket = await support.tickets.get(ticket_id)
    if ticket is None or ticket.requester.email is None:
        return False
    message = next((m for m in ticket.messages if m.id == message_id), None)
    if message is None or message.email_message_id is None:
        return False
    customer = await support.customers.get(ticket.customer_id) if ticket.customer_id else None
    language = reply_language(customer.language if customer else None, ticket.requester.language)
    await send_mail(support.settings.smtp, reply_mail(support.settings, ticket, message, language))
    return True
