"""Consumed events: analytics subscribes to every domain event (``crm.#``).

Every event is archived; the types listed in :data:`analytics.domain.facts.FOLDS`
also change facts, first. Folds are idempotent, so no ledger of processed events is
kept. The handler table answers for any type, so an event type added later by
another service is archived from its first delivery on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from analytics.components import projection_of
from crm_chassis.events import EventHandler, idempotent
from crm_chassis.service import ServiceRuntime
from crm_contracts.events import EVENT_TYPES

BINDINGS = ["crm.#"]


class EveryEventType(Mapping[str, EventHandler]):
    """A handler table that maps every event type to the same ingesting handler."""

    def __init__(self, handler: EventHandler) -> None:
        self._handler = handler

    def __getitem__(self, event_type: str) -> EventHandler:
        return self._handler

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(EVENT_TYPES))

    def __len__(self) -> int:
        return len(EVENT_TYPES)

    def __contains__(self, event_type: object) -> bool:
        return isinstance(event_type, str)


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    return EveryEventType(idempotent(projection_of(runtime).ingest))
