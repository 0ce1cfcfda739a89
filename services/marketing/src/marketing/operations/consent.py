"""Consent (M-5): a customer's subscription per channel, changed as they asked."""

from __future__ import annotations

from datetime import datetime

from crm_chassis.mongo import Document
from marketing.components import Components
from marketing.domain.campaigns import Channel
from marketing.domain.consent import normalise_email, subscription_changed


async def set_consent(
    parts: Components,
    customer_id: str,
    channel: Channel,
    subscribed: bool,
    email: str | None,
    now: datetime,
) -> Document:
    """Subscribe or unsubscribe a customer on one channel; the change is announced."""
    address = normalise_email(email) if email else None
    event = subscription_changed(customer_id, address, channel.value, subscribed, now)
    document = await parts.consent.set_subscription(
        customer_id, address, channel.value, subscribed, "api", now, [event]
    )
    parts.notify_outbox()
    return document
