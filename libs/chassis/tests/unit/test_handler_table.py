"""A handler table binds module-level handlers to the service's parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm_chassis.events import IdempotentHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_contracts.envelope import CloudEvent


@dataclass
class Parts:
    seen: list[str] = field(default_factory=list)


async def remember(event: CloudEvent, parts: Parts) -> None:
    parts.seen.append(event.id)


async def remember_twice(event: CloudEvent, parts: Parts) -> None:
    parts.seen.extend([event.id, event.id])


TABLE: HandlerTable[Parts] = {
    "crm.test.thing.created.v1": Handles(remember, idempotent=True),
    "crm.test.thing.erased.v1": Handles(remember_twice),
}


def _event(event_type: str) -> CloudEvent:
    return CloudEvent(id="e-1", source="/test", type=event_type, data={})


async def test_each_handler_runs_with_the_parts_it_was_bound_to() -> None:
    parts = Parts()
    handlers = bind(TABLE, parts)
    await handlers["crm.test.thing.created.v1"](_event("crm.test.thing.created.v1"))
    await handlers["crm.test.thing.erased.v1"](_event("crm.test.thing.erased.v1"))
    assert parts.seen == ["e-1", "e-1", "e-1"]


def test_only_rows_marked_idempotent_skip_the_ledger() -> None:
    handlers = bind(TABLE, Parts())
    assert isinstance(handlers["crm.test.thing.created.v1"], IdempotentHandler)
    assert not isinstance(handlers["crm.test.thing.erased.v1"], IdempotentHandler)
