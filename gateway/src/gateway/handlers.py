"""Consumed events: every business event may be wanted by a webhook subscription.

The gateway's queue is bound to each business service's events (``crm.sales.#``, ...);
each of their types maps to the same handler, which queues one delivery per matching
active subscription. Delivery ids are derived from (subscription, event), so a
redelivered event queues nothing new.

Events about the platform's own people and operations (the gateway's user directory,
parked dead letters) stay inside: staff e-mails and roles are not an integration's
business, even for a subscription to ``*``.
"""

from __future__ import annotations

from collections.abc import Mapping

from crm_chassis.events import EventHandler, idempotent
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import EVENT_TYPES
from gateway.domain.webhooks import delivery_id, matches
from gateway.store.webhooks import DeliveryStore, SubscriptionStore
from gateway.webhooks.delivery import WebhookDeliverer

INTERNAL_SOURCES = frozenset({"gateway", "platform"})
WEBHOOK_EVENT_TYPES = tuple(
    sorted(
        event_type for event_type in EVENT_TYPES if event_type.split(".")[1] not in INTERNAL_SOURCES
    )
)
BINDINGS = sorted({f"crm.{event_type.split('.')[1]}.#" for event_type in WEBHOOK_EVENT_TYPES})


def build_handlers(
    subscriptions: SubscriptionStore, deliveries: DeliveryStore, deliverer: WebhookDeliverer
) -> Mapping[str, EventHandler]:
    async def queue_webhooks(event: CloudEvent) -> None:
        body = event.model_dump_json(exclude_none=True)
        queued = False
        for subscription in await subscriptions.active():
            if matches(subscription.event_types, event.type):
                queued |= await deliveries.enqueue(
                    delivery_id(subscription.id, event.id),
                    subscription_id=subscription.id,
                    event_id=event.id,
                    event_type=event.type,
                    body=body,
                )
        if queued:
            deliverer.notify()

    # Deliveries are keyed by (subscription, event): a redelivered event queues nothing
    # new, so the ledger of processed events would only cost.
    return dict.fromkeys(WEBHOOK_EVENT_TYPES, idempotent(queue_webhooks))
