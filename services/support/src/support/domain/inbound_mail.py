"""Reading an inbound RFC 822 message: who wrote, what about, and which ticket it answers.

A reply is threaded onto a ticket by its ``In-Reply-To`` / ``References`` headers
(Message-IDs the ticket has seen) or, when a mail client dropped those, by the
ticket reference in the subject (``[TKT-1A2B3C4D]``).
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from pydantic import BaseModel

REFERENCE_PATTERN = re.compile(r"\[(TKT-[0-9A-F]{8})\]")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_QUOTE_MARKERS = (re.compile(r"^\s*>"), re.compile(r"^On .+ wrote:\s*$"))
MAX_SUBJECT = 300


class MailAttachment(BaseModel):
    filename: str
    content_type: str
    data: bytes


class InboundMail(BaseModel):
    message_id: str
    thread_ids: list[str]  # In-Reply-To first, then References newest first
    sender_email: str
    sender_name: str | None
    subject: str
    body: str
    reference: str | None
    attachments: list[MailAttachment]


class UnreadableMail(ValueError):
    """The message lacks what a ticket needs (a sender, a Message-ID)."""


def _ids(header: object) -> list[str]:
    return _MESSAGE_ID.findall(str(header or ""))


def _strip_quoted(text: str) -> str:
    """The new part of a reply: lines until the first quoted block."""
    kept: list[str] = []
    for line in text.splitlines():
        if any(marker.match(line) for marker in _QUOTE_MARKERS):
            break
        kept.append(line)
    return "\n".join(kept).strip() or text.strip()


def parse_inbound_mail(raw: bytes) -> InboundMail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(str(message.get("From", "")))
    if "@" not in address:
        raise UnreadableMail("The message has no sender address.")
    message_ids = _ids(message.get("Message-ID"))
    if not message_ids:
        raise UnreadableMail("The message has no Message-ID.")
    thread_ids = _ids(message.get("In-Reply-To")) + list(reversed(_ids(message.get("References"))))
    subject = " ".join(str(message.get("Subject", "")).split())[:MAX_SUBJECT]
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = "" if body_part is None else str(body_part.get_content())
    attachments = [
        MailAttachment(
            filename=part.get_filename() or "attachment",
            content_type=part.get_content_type(),
            data=part.get_payload(decode=True) or b"",
        )
        for part in message.iter_attachments()
    ]
    found = REFERENCE_PATTERN.search(subject)
    return InboundMail(
        message_id=message_ids[0],
        thread_ids=list(dict.fromkeys(thread_ids)),
        sender_email=address.lower(),
        sender_name=name or None,
        subject=subject or "(no subject)",
        body=_strip_quoted(body) if thread_ids or found else body.strip(),
        reference=found.group(1) if found else None,
        attachments=attachments,
    )
