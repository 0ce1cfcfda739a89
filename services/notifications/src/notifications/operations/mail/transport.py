"""Handing one message to the platform's SMTP relay (:mod:`crm_chassis.mail`), with the
failure sorted into what the sender does next: a refusal for good (5xx: the address
or message will never be taken) ends the mail as failed; anything else (the server
away, a 4xx) is tried again later.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from crm_chassis.mail import SmtpSettings, send_mail

MESSAGE_ID_DOMAIN = "notifications.crm"


class MailFailure(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def message_id(key: str) -> str:
    """The same Message-ID each time one mail is sent, so a resend after a crash reads
    as the same message to clients that de-duplicate by it."""
    return f"<{key.replace(':', '.')}@{MESSAGE_ID_DOMAIN}>"


def compose(sender: str, recipient: str, subject: str, body: str, key: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(key) if key else make_msgid(domain=MESSAGE_ID_DOMAIN)
    message.set_content(body)
    return message


def _refusal_code(error: Exception) -> int | None:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        return error.recipients[0].code
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return error.code
    return None


async def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send ``message``; returns once the server accepted it, else :class:`MailFailure`."""
    try:
        await send_mail(settings, message)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        code = _refusal_code(error)
        reason = f"{code} {error}" if code else f"{type(error).__name__}: {error}"
        raise MailFailure(reason[:500], permanent=code is not None and code >= 500) from error
