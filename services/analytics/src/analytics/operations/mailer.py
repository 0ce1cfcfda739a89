"""Report e-mails: the table and chart of a report as attachments."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


def report_message(
    *,
    sender: str,
    recipients: list[str],
    subject: str,
    text: str,
    attachments: list[Attachment],
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(text)
    for attachment in attachments:
        if attachment.maintype == "text":  # keeps the charset, so readers decode it right
            message.add_attachment(
                attachment.content.decode("utf-8"),
                subtype=attachment.subtype,
                filename=attachment.filename,
                charset="utf-8",
            )
            continue
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return message
