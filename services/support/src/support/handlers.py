"""Consumed events -> support actions: the one table of what this service listens to.

Customer events keep the local customer projection (name, e-mail, tier, owner,
recent history); a tier change re-targets the SLAs of the customer's open tickets;
our own ticket-replied event mails the reply to the requester and ticket-resolved
sends the satisfaction survey. Every handler is
idempotent (see ``store.customers`` and ``SurveyStore.create_once``).
"""

from __future__ import annotations

from collections.abc import Mapping

from crm_chassis.events import EventHandler, idempotent
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, sales
from crm_contracts.events import support as support_events
from support.components import components
from support.domain.sla import Tier
from support.operations.replies import mail_reply
from support.operations.surveys import survey_resolved_ticket
from support.operations.tickets import apply_customer_tier
from support.store.customers import HistoryEntry


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    app = components(runtime)

    async def customer_created(event: CloudEvent) -> None:
        data = customer.CustomerCreated.model_validate(event.data)
        fields = {"name": data.name, "email": _email(data.email), "owner_id": data.owner_id}
        await app.customers.record_created(data.customer_id, fields, Tier.parse(data.tier))

    async def customer_updated(event: CloudEvent) -> None:
        data = customer.CustomerUpdated.model_validate(event.data)
        fields = {"name": data.name, "email": _email(data.email), "owner_id": data.owner_id}
        await app.customers.record_updated(data.customer_id, data.version, fields)

    async def tier_changed(event: CloudEvent) -> None:
        data = customer.CustomerTierChanged.model_validate(event.data)
        await app.customers.record_tier(data.customer_id, Tier.parse(data.tier), data.changed_at)
        # The newest known tier, even on a redelivery (idempotent: tickets already on it stay).
        await apply_customer_tier(
            app, data.customer_id, await app.customers.tier_of(data.customer_id)
        )

    async def customers_merged(event: CloudEvent) -> None:
        data = customer.CustomersMerged.model_validate(event.data)
        await app.tickets.reassign_customer(data.merged_id, data.surviving_id)
        await app.surveys.reassign_customer(data.merged_id, data.surviving_id)
        await app.customers.remove(data.merged_id)

    async def customer_erased(event: CloudEvent) -> None:
        data = customer.CustomerErased.model_validate(event.data)
        for ticket_id in await app.tickets.ids_for_customer(data.customer_id):
            await app.attachments.delete_for(ticket_id)
        await app.tickets.erase_customer(data.customer_id)
        await app.surveys.erase_customer(data.customer_id)
        await app.customers.erase(data.customer_id, data.erased_at)

    async def interaction_recorded(event: CloudEvent) -> None:
        data = customer.InteractionRecorded.model_validate(event.data)
        entry = HistoryEntry(
            entry_id=f"interaction:{data.interaction_id}",
            kind="interaction",
            channel=data.channel,
            status=data.status,
            summary=data.summary,
            occurred_at=data.occurred_at,
        )
        await app.customers.add_history(data.customer_id, entry)

    async def order_placed(event: CloudEvent) -> None:
        data = sales.OrderPlaced.model_validate(event.data)
        entry = HistoryEntry(
            entry_id=f"order:{data.order_id}",
            kind="order",
            summary=f"Order {data.order_number}: {data.amount} {data.currency}",
            occurred_at=data.placed_at,
        )
        await app.customers.add_history(data.customer_id, entry)

    async def ticket_replied(event: CloudEvent) -> None:
        data = support_events.TicketReplied.model_validate(event.data)
        await mail_reply(app, data.ticket_id, data.message_id)

    async def ticket_resolved(event: CloudEvent) -> None:
        data = support_events.TicketResolved.model_validate(event.data)
        await survey_resolved_ticket(app, data.ticket_id)

    # The projection's writes are version-guarded or keyed by entry: a second run
    # changes nothing. The others re-target, erase or mail, and keep the ledger.
    return {
        customer.CustomerCreated.TYPE: idempotent(customer_created),
        customer.CustomerUpdated.TYPE: idempotent(customer_updated),
        customer.CustomerTierChanged.TYPE: tier_changed,
        customer.CustomersMerged.TYPE: customers_merged,
        customer.CustomerErased.TYPE: customer_erased,
        customer.InteractionRecorded.TYPE: idempotent(interaction_recorded),
        sales.OrderPlaced.TYPE: idempotent(order_placed),
        support_events.TicketReplied.TYPE: ticket_replied,
        support_events.TicketResolved.TYPE: ticket_resolved,
    }


def _email(value: str | None) -> str | None:
    return value.lower() if value else None
