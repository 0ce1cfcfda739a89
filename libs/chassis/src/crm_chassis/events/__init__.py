"""Domain events of a service: transactional outbox, relay, consumer, dead letters.

A store writes an aggregate and the events it caused in one atomic document write
(:func:`with_outbox` for inserts, :func:`add_outbox` for updates) and calls
:meth:`Eventing.notify_outbox`; the relay publishes them later, at least once.
Consumed events are dispatched by type to the service's handler table, with
duplicate suppression, delayed retries and a dead-letter queue.
"""

from crm_chassis.events.consumer import EventHandler, IdempotentHandler, idempotent
from crm_chassis.events.eventing import Eventing
from crm_chassis.events.outbox import OUTBOX_FIELD, EventState, add_outbox, with_outbox
from crm_chassis.events.settings import EventingSettings

__all__ = [
    "OUTBOX_FIELD",
    "EventHandler",
    "EventState",
    "Eventing",
    "EventingSettings",
    "IdempotentHandler",
    "add_outbox",
    "idempotent",
    "with_outbox",
]
