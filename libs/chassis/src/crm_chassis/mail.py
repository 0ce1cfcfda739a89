"""Outgoing mail over SMTP (aiosmtplib), configured the same way in every service.

Every service that sends mail takes ``smtp: SmtpSettings`` in its settings, so the
relay is configured with the same variables everywhere: ``CRM_SMTP__HOST``,
``CRM_SMTP__PORT``, ``CRM_SMTP__USERNAME``, ``CRM_SMTP__PASSWORD``,
``CRM_SMTP__START_TLS``, ``CRM_SMTP__USE_TLS``, ``CRM_SMTP__TIMEOUT_SECONDS``.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import aiosmtplib
from pydantic import BaseModel, Field, SecretStr, model_validator


class SmtpSettings(BaseModel):
    """The mail relay; the defaults reach the local capture server of ``make run``."""

    host: str = "127.0.0.1"
    port: int = Field(default=1025, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    start_tls: bool = False
    use_tls: bool = False
    timeout_seconds: float = Field(default=10.0, gt=0)

    @model_validator(mode="after")
    def _one_kind_of_tls(self) -> SmtpSettings:
        if self.start_tls and self.use_tls:
            raise ValueError("choose STARTTLS (start_tls) or implicit TLS (use_tls), not both")
        return self

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``aiosmtplib.SMTP`` and ``aiosmtplib.send``."""
        return {
            "hostname": self.host,
            "port": self.port,
            "username": self.username,
            "password": self.password.get_secret_value() if self.password else None,
            "start_tls": self.start_tls,
            "use_tls": self.use_tls,
            "timeout": self.timeout_seconds,
        }


async def send_mail(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send one message on a connection of its own (for occasional mail)."""
    await aiosmtplib.send(message, **settings.client_options())
