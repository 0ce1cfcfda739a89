"""Queueing a campaign: one delivery document per customer of its audience.

Consent is checked here (the unsubscribed and suppressed are recorded as
``suppressed`` and never queued) and again by the sender just before each send,
because consent can be withdrawn while a large campaign is still in the queue.
Queueing is idempotent per (campaign, customer): run again after a crash, it adds
only the missing recipients.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_chassis.mongo import Document
from marketing.domain.consent import may_send, normalise_email
from marketing.domain.deliveries import DeliveryStatus, message_id
from marketing.domain.segments import tier_priority
from marketing.store.consent import ConsentStore
from marketing.store.customers import CustomerCopies
from marketing.store.deliveries import DeliveryQueue

CHANNEL = "email"


@dataclass(frozen=True)
class QueueSummary:
    audience: int
    queued: int
    suppressed: int
    added: int


def _delivery(
    campaign_id: str,
    customer: Document,
    status: DeliveryStatus,
    reason: str | None,
    now: datetime,
    domain: str,
) -> Document:
    delivery_id = uuid.uuid4().hex
    email = customer.get("email")
    document: Document = {
        "_id": delivery_id,
        "campaign_id": campaign_id,
        "customer_id": customer["_id"],
        "email": normalise_email(email) if email else None,
        "channel": CHANNEL,
        "priority": tier_priority(customer.get("tier")),
        "tier": customer.get("tier") or "normal",
        "status": status.value,
        "attempts": 0,
        "next_attempt_at": now,
        "message_id": message_id(delivery_id, domain),
        "variables": {
            "customer_name": customer.get("name"),
            "company": customer.get("company"),
            "tier": customer.get("tier") or "normal",
            "region": customer.get("region"),
        },
        "created_at": now,
    }
    if reason:
        document["suppressed_reason"] = reason
    return document


async def queue_audience(
    customers: CustomerCopies,
    consent: ConsentStore,
    deliveries: DeliveryQueue,
    campaign_id: str,
    audience_query: Mapping[str, Any],
    now: datetime,
    message_id_domain: str,
) -> QueueSummary:
    audience = queued = suppressed = added = 0
    async for chunk in customers.chunks(audience_query):
        emails = {normalise_email(c["email"]) for c in chunk if c.get("email")}
        unsubscribed = await consent.unsubscribed_among([c["_id"] for c in chunk], CHANNEL)
        blocked = await consent.suppressed_among(emails)
        batch = []
        for customer in chunk:
            email = customer.get("email")
            address = normalise_email(email) if email else None
            allowed = may_send(
                subscribed=False if customer["_id"] in unsubscribed else None,
                suppressed=address in blocked,
                has_address=address is not None,
            )
            reason = None
            if not allowed:
                reason = (
                    "no_address"
                    if address is None
                    else "unsubscribed"
                    if customer["_id"] in unsubscribed
                    else "suppressed"
                )
            status = DeliveryStatus.QUEUED if allowed else DeliveryStatus.SUPPRESSED
            batch.append(_delivery(campaign_id, customer, status, reason, now, message_id_domain))
            queued += allowed
            suppressed += not allowed
        audience += len(chunk)
        added += await deliveries.enqueue(batch)
    return QueueSummary(audience=audience, queued=queued, suppressed=suppressed, added=added)
