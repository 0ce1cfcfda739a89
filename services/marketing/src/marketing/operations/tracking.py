"""What the public links inside sent mail do: record opens and clicks, unsubscribe.

Tokens are checked by :class:`~marketing.domain.tracking.LinkSigner`; a token that is
not ours, or names no delivery, is an unknown link (404).
"""

from __future__ import annotations

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RecordNotFound
from crm_chassis.languages import Language, choose_language
from crm_chassis.mongo import Document
from marketing.components import Components
from marketing.domain import deliveries as rules
from marketing.domain.consent import subscription_changed
from marketing.domain.tracking import LinkClaim, LinkKind

UNKNOWN_LINK = "This link is not valid."


def claim_of(parts: Components, token: str, kind: LinkKind) -> LinkClaim:
    return parts.links.signer.verify(token, kind)


async def _delivery(parts: Components, claim: LinkClaim) -> Document:
    delivery = await parts.deliveries.find(claim.delivery_id)
    if delivery is None:  # only mail this service sent leads anywhere
        raise RecordNotFound(UNKNOWN_LINK)
    return delivery


async def record_open(parts: Components, token: str) -> None:
    """The open pixel: the first open of a delivered message counts; a pixel of no
    message still answers (mail clients show the image either way)."""
    claim = claim_of(parts, token, LinkKind.OPEN)
    delivery = await parts.deliveries.find(claim.delivery_id)
    if delivery is None:
        return
    now = utc_now()
    event = rules.opened_event(
        delivery["_id"], delivery["campaign_id"], delivery["customer_id"], now
    )
    if await parts.deliveries.record_open(delivery["_id"], now, [event]):
        await parts.campaigns.mark_metrics_dirty([delivery["campaign_id"]])
        parts.notify_outbox()


async def record_click(parts: Components, token: str) -> str:
    """Count the click; the URL sealed in the token, to redirect to."""
    claim = claim_of(parts, token, LinkKind.CLICK)
    assert claim.url is not None
    delivery = await _delivery(parts, claim)
    now = utc_now()
    event = rules.clicked_event(
        delivery["_id"], delivery["campaign_id"], delivery["customer_id"], claim.url, now
    )
    if await parts.deliveries.record_click(delivery["_id"], now, [event]):
        await parts.campaigns.mark_metrics_dirty([delivery["campaign_id"]])
        parts.notify_outbox()
    return claim.url


async def unsubscribe_language(
    parts: Components, token: str, accept_language: str | None
) -> Language:
    """The language of the unsubscribe pages: the recipient's when the customer copy
    knows it, else the browser's (``Accept-Language``), else zh-CN."""
    claim = claim_of(parts, token, LinkKind.UNSUBSCRIBE)
    delivery = await parts.deliveries.find(claim.delivery_id)
    known = await parts.customers.language(delivery["customer_id"]) if delivery else None
    return choose_language(known, accept_language)


async def unsubscribe(parts: Components, token: str, accept_language: str | None) -> Language:
    """One-click unsubscribe (RFC 8058); repeating it changes nothing. The language to
    confirm it in (:func:`unsubscribe_language`)."""
    delivery = await _delivery(parts, claim_of(parts, token, LinkKind.UNSUBSCRIBE))
    now = utc_now()
    channel = delivery.get("channel", "email")
    email = delivery.get("email")
    event = subscription_changed(delivery["customer_id"], email, channel, False, now)
    await parts.consent.set_subscription(
        delivery["customer_id"], email, channel, False, "one_click", now, [event]
    )
    parts.notify_outbox()
    known = await parts.customers.language(delivery["customer_id"])
    return choose_language(known, accept_language)
