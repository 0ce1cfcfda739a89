"""SMTP through aiosmtplib, with failures sorted into what the sender must do next.

* the server is unreachable or dropped us (``Outage``): nobody's fault but the
  server's; the message goes back to the queue without using up an attempt;
* a 5xx for this message or recipient (``Rejected``): a bounce, never retried;
* a 4xx for this message (``Deferred``): retried later with back-off.
"""

from __future__ import annotations

from email.message import Message

import aiosmtplib

from marketing.settings import Settings


class SendFailure(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Outage(SendFailure):
    """The SMTP server cannot be reached or broke the session."""


class Rejected(SendFailure):
    """Permanent refusal (5xx): the message bounced."""


class Deferred(SendFailure):
    """Temporary refusal (4xx): try this message again later."""


def _classify(error: Exception) -> SendFailure:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        first = error.recipients[0]
        reason = f"{first.code} {first.message}"
        return Rejected(reason) if first.code >= 500 else Deferred(reason)
    if isinstance(
        error,
        aiosmtplib.SMTPServerDisconnected
        | aiosmtplib.SMTPConnectError
        | aiosmtplib.SMTPTimeoutError
        | aiosmtplib.SMTPConnectTimeoutError,
    ):
        return Outage(f"{type(error).__name__}: {error}")
    if isinstance(error, aiosmtplib.SMTPResponseException):
        reason = f"{error.code} {error.message}"
        if error.code >= 500:
            return Rejected(reason)
        return Deferred(reason)
    return Outage(f"{type(error).__name__}: {error}")


class SmtpConnection:
    """One SMTP session reused for many messages; reconnects when it was dropped."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        client = aiosmtplib.SMTP(**self._settings.smtp.client_options())
        await client.connect()
        self._client = client
        return client

    async def send(self, message: Message, sender: str, recipient: str) -> None:
        """Hand one message to the server; returns once it accepted it, else raises a
        :class:`SendFailure`. A reused session that the server has meanwhile dropped
        is reopened once before the failure counts as an outage."""
        reused = self._client is not None and self._client.is_connected
        try:
            await self._send_once(message, sender, recipient)
        except Outage:
            if not reused:
                raise
            await self._send_once(message, sender, recipient)

    async def _send_once(self, message: Message, sender: str, recipient: str) -> None:
        try:
            client = await self._connected()
            await client.send_message(message, sender=sender, recipients=[recipient])
        except (aiosmtplib.SMTPException, OSError) as error:
            failure = _classify(error)
            if isinstance(failure, Outage):
                await self.close()
            raise failure from error

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()
