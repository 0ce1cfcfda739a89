"""Outgoing mail over SMTP (aiosmtplib), configured by ``CRM_SMTP_*``."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from support.settings import Settings


async def send_mail(settings: Settings, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )
