"""Sending report e-mails over SMTP (aiosmtplib)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from analytics.settings import SmtpSettings


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


async def send(settings: SmtpSettings, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.host,
        port=settings.port,
        username=settings.username,
        password=settings.password.get_secret_value() if settings.password else None,
        start_tls=settings.start_tls,
        use_tls=settings.use_tls,
        timeout=settings.timeout_seconds,
    )
