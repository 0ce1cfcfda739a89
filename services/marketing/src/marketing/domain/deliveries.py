"""One campaign message to one recipient (M-4): its status, retries and events.

Status flow: ``queued`` -> ``sending`` (leased by one sender) -> ``sent`` ->
``opened`` -> ``clicked``; or ``bounced`` (the server refused the recipient for
good), ``failed`` (retries exhausted) or ``suppressed`` (consent withdrawn or the
address suppressed before the send). A temporary SMTP failure puts the message
back to ``queued`` with a later ``next_attempt_at``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from crm_contracts.envelope import CloudEvent
from crm_contracts.events.marketing import (
    MessageBounced,
    MessageClicked,
    MessageOpened,
    MessageSent,
)
from crm_contracts.events.registry import to_cloud_event


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    OPENED = "opened"
    CLICKED = "clicked"
    BOUNCED = "bounced"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


ENGAGEMENT_ORDER = (DeliveryStatus.SENT, DeliveryStatus.OPENED, DeliveryStatus.CLICKED)
"""A sent message moves forward only: a late open never downgrades a click."""


def retry_delay(attempt: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential back-off: base, 2 x base, 4 x base, ... capped at ``max_seconds``."""
    exponent = max(0, attempt - 1)
    return timedelta(seconds=min(max_seconds, base_seconds * (2**exponent)))


def message_id(delivery_id: str, domain: str) -> str:
    """The RFC 5322 Message-ID of a delivery: the same on every attempt, so a resend after
    an ambiguous failure is recognisable as the same message."""
    return f"<{delivery_id}@{domain}>"


def sent_event(
    delivery_id: str, campaign_id: str, customer_id: str, subject: str, now: datetime
) -> CloudEvent:
    data = MessageSent(
        message_id=delivery_id,
        campaign_id=campaign_id,
        customer_id=customer_id,
        subject=subject,
        sent_at=now,
    )
    return to_cloud_event(data, subject=delivery_id)


def bounced_event(
    delivery_id: str, campaign_id: str, customer_id: str, reason: str, now: datetime
) -> CloudEvent:
    data = MessageBounced(
        message_id=delivery_id,
        campaign_id=campaign_id,
        customer_id=customer_id,
        reason=reason,
        bounced_at=now,
    )
    return to_cloud_event(data, subject=delivery_id)


def opened_event(delivery_id: str, campaign_id: str, customer_id: str, now: datetime) -> CloudEvent:
    data = MessageOpened(
        message_id=delivery_id, campaign_id=campaign_id, customer_id=customer_id, opened_at=now
    )
    return to_cloud_event(data, subject=delivery_id)


def clicked_event(
    delivery_id: str, campaign_id: str, customer_id: str, url: str, now: datetime
) -> CloudEvent:
    data = MessageClicked(
        message_id=delivery_id,
        campaign_id=campaign_id,
        customer_id=customer_id,
        url=url,
        clicked_at=now,
    )
    return to_cloud_event(data, subject=delivery_id)


def window_start(now: datetime, window_seconds: int = 60) -> datetime:
    """The start of the throttling window ``now`` falls in (whole minutes by default)."""
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=now.tzinfo)
