"""Consumed events -> support actions: the one table of what this service listens to.

Customer events keep the local customer projection (name, e-mail, tier, owner,
recent history); a tier change re-targets the SLAs of the customer's open tickets;
our own ticket-replied event mails the reply to the requester and ticket-resolved
sends the satisfaction survey. Every handler is
idempotent (see ``store.customers`` and ``SurveyStore.create_once``).
"""

from __future__ import annotations

from collections.abc import Mapping

from crm_chassis.events import EventHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, sales
from crm_contracts.events import support as support_events
from support.components import Components, components
from support.domain.sla import Tier
from support.operations.replies import mail_reply
from support.operations.surveys import survey_resolved_ticket
from support.operations.tickets import apply_customer_tier
from support.store.customers import HistoryEntry


async def customer_created(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerCreated.model_validate(event.data)
    fields = {
        "name": data.name,
        "email": _email(data.email),
        "owner_id": data.owner_id,
        "language": data.language,
    }
    await parts.customers.record_created(
        data.customer_id, fields, Tier.parse(data.tier), event_id=event.id
    )


async def customer_updated(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerUpdated.model_validate(event.data)
    fields = {
        "name": data.name,
        "email": _email(data.email),
        "owner_id": data.owner_id,
        "language": data.language,
    }
    await parts.customers.record_updated(data.customer_id, data.version, fields, event_id=event.id)


async def tier_changed(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerTierChanged.model_validate(event.data)
    await parts.customers.record_tier(
        data.customer_id, Tier.parse(data.tier), data.changed_at, event_id=event.id
    )
    # The newest known tier, even on a redelivery (idempotent: tickets already on it stay).
    await apply_customer_tier(
        parts, data.customer_id, await parts.customers.tier_of(data.customer_id)
    )


async def customers_merged(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomersMerged.model_validate(event.data)
    await parts.tickets.reassign_customer(data.merged_id, data.surviving_id)
    await parts.surveys.reassign_customer(data.merged_id, data.surviving_id)
    await parts.customers.remove(data.merged_id)


async def customer_erased(event: CloudEvent, parts: Components) -> None:
    data = customer.CustomerErased.model_validate(event.data)
    for ticket_id in await parts.tickets.ids_for_customer(data.customer_id):
        await parts.attachments.delete_for(ticket_id)
    await parts.tickets.erase_customer(data.customer_id)
    await parts.surveys.erase_customer(data.customer_id)
    await parts.customers.erase(data.customer_id, data.erased_at)


async def interaction_recorded(event: CloudEvent, parts: Components) -> None:
    data = customer.InteractionRecorded.model_validate(event.data)
    entry = HistoryEntry(
        entry_id=f"interaction:{data.interaction_id}",
        kind="interaction",
        channel=data.channel,
        status=data.status,
        summary=data.summary,
        occurred_at=data.occurred_at,
    )
    await parts.customers.add_history(data.customer_id, entry)


async def order_placed(event: CloudEvent, parts: Components) -> None:
    data = sales.OrderPlaced.model_validate(event.data)
    entry = HistoryEntry(
        entry_id=f"order:{data.order_id}",
        kind="order",
        summary=f"Order {data.order_number}: {data.amount} {data.currency}",
        occurred_at=data.placed_at,
    )
    await parts.customers.add_history(data.customer_id, entry)


async def ticket_replied(event: CloudEvent, parts: Components) -> None:
    data = support_events.TicketReplied.model_validate(event.data)
    await mail_reply(parts, data.ticket_id, data.message_id)


async def ticket_resolved(event: CloudEvent, parts: Components) -> None:
    data = support_events.TicketResolved.model_validate(event.data)
    await survey_resolved_ticket(parts, data.ticket_id)


# The projection's writes are version-guarded or keyed by entry: a second run changes
# nothing. The others re-target, erase or mail, and keep the ledger.
HANDLERS: HandlerTable[Components] = {
    customer.CustomerCreated.TYPE: Handles(customer_created, idempotent=True),
    customer.CustomerUpdated.TYPE: Handles(customer_updated, idempotent=True),
    customer.CustomerTierChanged.TYPE: Handles(tier_changed),
    customer.CustomersMerged.TYPE: Handles(customers_merged),
    customer.CustomerErased.TYPE: Handles(customer_erased),
    customer.InteractionRecorded.TYPE: Handles(interaction_recorded, idempotent=True),
    sales.OrderPlaced.TYPE: Handles(order_placed, idempotent=True),
    support_events.TicketReplied.TYPE: Handles(ticket_replied),
    support_events.TicketResolved.TYPE: Handles(ticket_resolved),
}


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    return bind(HANDLERS, components(runtime))


def _email(value: str | None) -> str | None:
    return value.lower() if value else None
