"""Subscriptions, consent and suppression (M-5).

A customer is subscribed to a channel until they unsubscribe (opt-out for existing
customers); an address on the suppression list (hard bounce, complaint, manual)
never receives anything, whoever it belongs to. Both are checked when the audience
is queued and again just before each send.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from crm_contracts.envelope import CloudEvent
from crm_contracts.events.marketing import SubscriptionChanged
from crm_contracts.events.registry import to_cloud_event


class SuppressionReason(StrEnum):
    HARD_BOUNCE = "hard_bounce"
    COMPLAINT = "complaint"
    MANUAL = "manual"
    UNSUBSCRIBED = "unsubscribed"


def normalise_email(address: str) -> str:
    return address.strip().lower()


def may_send(*, subscribed: bool | None, suppressed: bool, has_address: bool) -> bool:
    """Whether a message may go to a recipient; ``subscribed`` is None when never set."""
    return has_address and not suppressed and subscribed is not False


def subscription_changed(
    customer_id: str | None, email: str | None, channel: str, subscribed: bool, now: datetime
) -> CloudEvent:
    data = SubscriptionChanged(
        customer_id=customer_id, email=email, channel=channel, subscribed=subscribed, changed_at=now
    )
    return to_cloud_event(data, subject=customer_id or email)
