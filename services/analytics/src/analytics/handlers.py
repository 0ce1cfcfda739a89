"""Consumed events: analytics subscribes to every domain event (``crm.#``).

Every event is archived; the types listed in :data:`analytics.domain.facts.FOLDS`
also change facts, first. Folds are idempotent, so no ledger of processed events is
kept. The handler table answers for any type, so an event type added later by
another service is archived from its first delivery on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from analytics.components import Components, components
from crm_chassis.events import EventHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import EVENT_TYPES

BINDINGS = ["crm.#"]

Row = TypeVar("Row")


class EveryEventType(Mapping[str, Row]):
    """A table that gives every event type the same row: the known types when listed,
    any type when asked."""

    def __init__(self, row: Row) -> None:
        self._row = row

    def __getitem__(self, event_type: str) -> Row:
        return self._row

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(EVENT_TYPES))

    def __len__(self) -> int:
        return len(EVENT_TYPES)

    def __contains__(self, event_type: object) -> bool:
        return isinstance(event_type, str)


async def ingest(event: CloudEvent, parts: Components) -> None:
    """Fold the event into the facts it changes, then archive it."""
    await parts.projection.ingest(event)


INGEST: Handles[Components] = Handles(ingest, idempotent=True)
HANDLERS: HandlerTable[Components] = EveryEventType(INGEST)


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    # bind() lists the table, which names only the known types: the row is bound once
    # and given to every type instead, so types added later are archived too.
    (handler,) = bind({"*": HANDLERS["*"]}, components(runtime)).values()
    return EveryEventType(handler)
