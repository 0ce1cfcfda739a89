"""Consumed events and what they do here: one table (STYLE 4, 14).

Every handler is idempotent: payments are counted once by payment id, converted
leads carry their ids from sales, and timeline entries are keyed by event id.
"""

from __future__ import annotations

from collections.abc import Mapping

from crm_chassis.events import EventHandler, idempotent
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import sales
from crm_contracts.events.registry import parse_data
from customer.components import components
from customer.domain.timeline import TIMELINE_EVENT_TYPES
from customer.operations import consumption, conversion, timeline


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    parts = components(runtime)

    async def on_payment_received(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, sales.PaymentReceived)
        await consumption.count_payment(parts, data)
        await timeline.add_foreign_fact(parts, event)

    async def on_lead_converted(event: CloudEvent) -> None:
        data = parse_data(event)
        assert isinstance(data, sales.LeadConverted)
        await conversion.convert_lead(parts, data)

    async def on_timeline_fact(event: CloudEvent) -> None:
        await timeline.add_foreign_fact(parts, event)

    # A timeline entry is keyed by its event id: a second run inserts nothing.
    table: dict[str, EventHandler] = dict.fromkeys(
        TIMELINE_EVENT_TYPES, idempotent(on_timeline_fact)
    )
    table[sales.PaymentReceived.TYPE] = on_payment_received
    table[sales.LeadConverted.TYPE] = on_lead_converted
    return table
