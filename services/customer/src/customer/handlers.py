"""Consumed events and what they do here: one table (STYLE 4, 14).

Each handler is a module-level function given the service's parts, so a test calls it
with parts it builds. Every handler is idempotent: payments are counted once by payment
id, converted leads carry their ids from sales, and timeline entries are keyed by event
id (those run without the ledger).
"""

from __future__ import annotations

from collections.abc import Mapping

from crm_chassis.events import EventHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import sales
from crm_contracts.events.registry import parse_data
from customer.components import Components, components
from customer.domain.timeline import TIMELINE_EVENT_TYPES
from customer.operations import consumption, conversion, timeline


async def payment_received(event: CloudEvent, parts: Components) -> None:
    data = parse_data(event)
    assert isinstance(data, sales.PaymentReceived)
    await consumption.count_payment(parts, data)
    await timeline.add_foreign_fact(parts, event)


async def lead_converted(event: CloudEvent, parts: Components) -> None:
    data = parse_data(event)
    assert isinstance(data, sales.LeadConverted)
    await conversion.convert_lead(parts, data)


async def timeline_fact(event: CloudEvent, parts: Components) -> None:
    await timeline.add_foreign_fact(parts, event)


HANDLERS: HandlerTable[Components] = {
    # A timeline entry is keyed by its event id: a second run inserts nothing.
    **dict.fromkeys(TIMELINE_EVENT_TYPES, Handles(timeline_fact, idempotent=True)),
    sales.PaymentReceived.TYPE: Handles(payment_received),
    sales.LeadConverted.TYPE: Handles(lead_converted),
}


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    return bind(HANDLERS, components(runtime))
