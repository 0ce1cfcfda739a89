"""A service's table of consumed events, with handlers written as plain functions.

Each handler is a module-level ``async def handler(event, parts)`` that receives the
service's parts (its ``Components``) as an argument instead of closing over the
running app, so a unit test calls it with the parts it builds. The table names, once,
which event type runs which handler and whether the handler is idempotent by itself
(see :func:`crm_chassis.events.idempotent`); :func:`bind` turns it into the handler
map the consumer dispatches on::

    HANDLERS: HandlerTable[Components] = {
        CustomerCreated.TYPE: Handles(customer_created, idempotent=True),
        CustomerErased.TYPE: Handles(customer_erased),
    }

    def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
        return bind(HANDLERS, components(runtime))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from crm_chassis.events import EventHandler, idempotent
from crm_contracts.envelope import CloudEvent

Parts = TypeVar("Parts")


@dataclass(frozen=True)
class Handles(Generic[Parts]):
    """One row of the table: the handler and whether it may run without the ledger."""

    run: Callable[[CloudEvent, Parts], Awaitable[None]]
    idempotent: bool = False


HandlerTable = Mapping[str, Handles[Parts]]


def bind(table: HandlerTable[Parts], parts: Parts) -> dict[str, EventHandler]:
    """The consumer's handler map: every handler given the service's parts."""
    handlers: dict[str, EventHandler] = {}
    for event_type, row in table.items():
        handler = _given(row.run, parts)
        handlers[event_type] = idempotent(handler) if row.idempotent else handler
    return handlers


def _given(run: Callable[[CloudEvent, Parts], Awaitable[None]], parts: Parts) -> EventHandler:
    async def handle(event: CloudEvent) -> None:
        await run(event, parts)

    handle.__qualname__ = getattr(run, "__qualname__", handle.__qualname__)
    return handle
