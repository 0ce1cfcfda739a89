"""Consumed events and what they do here: one table.

One module-level handler per alert kind (the alert table of
:mod:`notifications.domain.alerts` says who is told), plus the copy of the gateway's
user directory, and what mail to customers needs (:mod:`notifications.operations.
customer_notices`: customer copies and e-mail consent, invoices and payments, the
notices an order's status or a new ticket owes). Every handler is idempotent by itself,
so none needs the ledger of processed events: items are keyed by (event, recipient),
notices by what they are for, and copies keep the newest event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from crm_chassis.events import EventHandler
from crm_chassis.handler_table import HandlerTable, Handles, bind
from crm_chassis.service import ServiceRuntime
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, gateway, marketing, platform, sales, support
from crm_contracts.events.registry import EventData, parse_data
from notifications.components import Components, components
from notifications.domain import alerts
from notifications.operations import customer_notices as notices
from notifications.operations.delivery import deliver

E = TypeVar("E", bound=EventData)


def _data(event: CloudEvent, model: type[E]) -> E:
    data = parse_data(event)
    assert isinstance(data, model)
    return data


async def lead_assigned(event: CloudEvent, parts: Components) -> None:
    await deliver(parts, event.id, alerts.lead_assigned(_data(event, sales.LeadAssigned)))


async def opportunity_stalled(event: CloudEvent, parts: Components) -> None:
    data = _data(event, sales.OpportunityStalled)
    await deliver(parts, event.id, alerts.opportunity_stalled(data))


async def task_assigned(event: CloudEvent, parts: Components) -> None:
    await deliver(parts, event.id, alerts.task_assigned(_data(event, sales.TaskAssigned)))


async def task_reminder(event: CloudEvent, parts: Components) -> None:
    await deliver(parts, event.id, alerts.task_reminder(_data(event, sales.TaskReminderDue)))


async def ticket_assigned(event: CloudEvent, parts: Components) -> None:
    data = _data(event, support.TicketAssigned)
    await deliver(parts, event.id, alerts.ticket_assigned(data))


async def ticket_escalated(event: CloudEvent, parts: Components) -> None:
    data = _data(event, support.TicketEscalated)
    await deliver(parts, event.id, alerts.ticket_escalated(data))


async def sla_warning(event: CloudEvent, parts: Components) -> None:
    await deliver(parts, event.id, alerts.sla_warning(_data(event, support.SlaWarning)))


async def sla_breached(event: CloudEvent, parts: Components) -> None:
    await deliver(parts, event.id, alerts.sla_breached(_data(event, support.SlaBreached)))


async def invoice_overdue(event: CloudEvent, parts: Components) -> None:
    """The owner and managers are alerted; the invoice is kept for the customer's
    overdue notices (if it was not seen issued)."""
    data = _data(event, sales.InvoiceOverdue)
    await deliver(parts, event.id, alerts.invoice_overdue(data))
    await notices.invoice_overdue(parts, data)


async def import_finished(event: CloudEvent, parts: Components) -> None:
    data = _data(event, customer.ImportFinished)
    await deliver(parts, event.id, alerts.import_finished(data))


async def import_failed(event: CloudEvent, parts: Components) -> None:
    await deliver(parts, event.id, alerts.import_failed(_data(event, customer.ImportFailed)))


async def campaign_finished(event: CloudEvent, parts: Components) -> None:
    data = _data(event, marketing.CampaignStatusChanged)
    await deliver(parts, event.id, alerts.campaign_finished(data))


async def dead_letters_parked(event: CloudEvent, parts: Components) -> None:
    data = _data(event, platform.DeadLetterParked)
    await deliver(parts, event.id, alerts.dead_letters_parked(data))


async def user_changed(event: CloudEvent, parts: Components) -> None:
    """Keep the directory's copy of the account, if the event is newer than it."""
    await parts.people.apply(_data(event, gateway.UserChanged), event.id)


# Mail to customers ------------------------------------------------------------------


async def customer_created(event: CloudEvent, parts: Components) -> None:
    await notices.customer_created(parts, _data(event, customer.CustomerCreated), event.id)


async def customer_updated(event: CloudEvent, parts: Components) -> None:
    await notices.customer_updated(parts, _data(event, customer.CustomerUpdated), event.id)


async def customer_erased(event: CloudEvent, parts: Components) -> None:
    await notices.customer_erased(parts, _data(event, customer.CustomerErased))


async def subscription_changed(event: CloudEvent, parts: Components) -> None:
    data = _data(event, marketing.SubscriptionChanged)
    await notices.subscription_changed(parts, data, event.id)


async def invoice_issued(event: CloudEvent, parts: Components) -> None:
    await notices.invoice_issued(parts, _data(event, sales.InvoiceIssued))


async def payment_received(event: CloudEvent, parts: Components) -> None:
    await notices.payment_received(parts, _data(event, sales.PaymentReceived))


async def order_status_changed(event: CloudEvent, parts: Components) -> None:
    await notices.order_status_changed(parts, _data(event, sales.OrderStatusChanged))


async def ticket_opened(event: CloudEvent, parts: Components) -> None:
    await notices.ticket_opened(parts, _data(event, support.TicketOpened))


HANDLERS: HandlerTable[Components] = {
    sales.LeadAssigned.TYPE: Handles(lead_assigned, idempotent=True),
    sales.OpportunityStalled.TYPE: Handles(opportunity_stalled, idempotent=True),
    sales.TaskAssigned.TYPE: Handles(task_assigned, idempotent=True),
    sales.TaskReminderDue.TYPE: Handles(task_reminder, idempotent=True),
    support.TicketAssigned.TYPE: Handles(ticket_assigned, idempotent=True),
    support.TicketEscalated.TYPE: Handles(ticket_escalated, idempotent=True),
    support.SlaWarning.TYPE: Handles(sla_warning, idempotent=True),
    support.SlaBreached.TYPE: Handles(sla_breached, idempotent=True),
    sales.InvoiceOverdue.TYPE: Handles(invoice_overdue, idempotent=True),
    customer.ImportFinished.TYPE: Handles(import_finished, idempotent=True),
    customer.ImportFailed.TYPE: Handles(import_failed, idempotent=True),
    marketing.CampaignStatusChanged.TYPE: Handles(campaign_finished, idempotent=True),
    platform.DeadLetterParked.TYPE: Handles(dead_letters_parked, idempotent=True),
    gateway.UserChanged.TYPE: Handles(user_changed, idempotent=True),
    customer.CustomerCreated.TYPE: Handles(customer_created, idempotent=True),
    customer.CustomerUpdated.TYPE: Handles(customer_updated, idempotent=True),
    customer.CustomerErased.TYPE: Handles(customer_erased, idempotent=True),
    marketing.SubscriptionChanged.TYPE: Handles(subscription_changed, idempotent=True),
    sales.InvoiceIssued.TYPE: Handles(invoice_issued, idempotent=True),
    sales.PaymentReceived.TYPE: Handles(payment_received, idempotent=True),
    sales.OrderStatusChanged.TYPE: Handles(order_status_changed, idempotent=True),
    support.TicketOpened.TYPE: Handles(ticket_opened, idempotent=True),
}


def build_handlers(runtime: ServiceRuntime) -> Mapping[str, EventHandler]:
    return bind(HANDLERS, components(runtime))
