"""One attempt at one leased mail: sent and marked, or failed for good, or due again
after a back-off while the server is away (which ends the sender's round)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage

from notifications.operations.mail import transport
from notifications.operations.mail.transport import MailFailure
from notifications.settings import Settings
from notifications.store.leases import LeasedQueue

log = logging.getLogger(__name__)


class ServerAway(Exception):
    """The SMTP server did not take a mail for a reason that may pass: end the round."""


async def deliver(
    settings: Settings,
    queue: LeasedQueue,
    key: str,
    message: EmailMessage,
    *,
    attempts: int,
    now: datetime,
    sent: str,
    failed: str,
    fields: Mapping[str, object] | None = None,
) -> bool:
    """Send the mail ``key`` holds in ``queue`` and leave it ``sent`` (with ``fields``);
    a refusal for good, or the last allowed attempt failing, leaves it ``failed``.
    Whether it was sent. Raises :class:`ServerAway` after handing it back for later."""
    try:
        await transport.send(settings.smtp, message)
    except MailFailure as failure:
        if failure.permanent or attempts + 1 >= settings.mail_max_attempts:
            log.warning("mail %s failed for good: %s", key, failure.reason)
            await queue.finish(key, failed, {"reason": failure.reason, "finished_at": now})
            return False
        pause = min(settings.mail_retry_seconds * 2**attempts, settings.mail_retry_max_seconds)
        await queue.retry(key, now + timedelta(seconds=pause), failure.reason)
        raise ServerAway(failure.reason) from failure
    if not await queue.finish(key, sent, {"sent_at": now, **(fields or {})}):
        log.warning("mail %s was sent after its lease ran out; it may go twice", key)
    return True
