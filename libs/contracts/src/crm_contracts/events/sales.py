"""Events published by the sales service. Money is ``Decimal`` (a JSON string on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/sales"
WIN_PROBABILITY = "the stage's win probability in percent, 0 to 100 (60 means 60 %)"


class ProspectDetails(BaseModel):
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    title: str | None = None
    industry: str | None = None
    company_size: str | None = None
    region: str | None = None


@event_type("crm.sales.lead.captured.v1", source=SOURCE)
class LeadCaptured(EventData):
    lead_id: str
    source_channel: str
    company: str | None = None
    industry: str | None = None
    region: str | None = None
    score: int | None = None
    campaign_id: str | None = None
    captured_at: datetime


@event_type("crm.sales.lead.assigned.v1", source=SOURCE)
class LeadAssigned(EventData):
    lead_id: str
    owner_id: str
    team: str | None = None
    rule: str | None = None
    # Who the lead is, for the new owner's alert; absent in events of older producers.
    name: str | None = None
    company: str | None = None
    assigned_at: datetime


@event_type("crm.sales.lead.converted.v1", source=SOURCE)
class LeadConverted(EventData):
    """The customer service creates the customer (and contact) with the ids chosen here."""

    lead_id: str
    customer_id: str
    contact_id: str
    opportunity_id: str | None = None
    owner_id: str | None = None
    # The lead's sales team: the new customer's, so the owner's manager sees it too.
    team: str | None = None
    prospect: ProspectDetails
    campaign_id: str | None = None
    converted_at: datetime


@event_type("crm.sales.opportunity.created.v1", source=SOURCE)
class OpportunityCreated(EventData):
    opportunity_id: str
    customer_id: str
    name: str
    owner_id: str | None = None
    team: str | None = None
    pipeline_id: str
    stage: str
    probability: Decimal = Field(description=WIN_PROBABILITY)
    amount: Decimal
    currency: str = "CNY"
    expected_close: date | None = None
    created_at: datetime


@event_type("crm.sales.opportunity.stage_changed.v1", source=SOURCE)
class OpportunityStageChanged(EventData):
    opportunity_id: str
    customer_id: str
    owner_id: str | None = None
    team: str | None = None
    pipeline_id: str
    from_stage: str
    to_stage: str
    probability: Decimal = Field(description=WIN_PROBABILITY)
    amount: Decimal
    currency: str = "CNY"
    changed_at: datetime


@event_type("crm.sales.opportunity.won.v1", source=SOURCE)
class OpportunityWon(EventData):
    opportunity_id: str
    customer_id: str
    owner_id: str | None = None
    team: str | None = None
    amount: Decimal
    currency: str = "CNY"
    created_at: datetime
    closed_at: datetime


@event_type("crm.sales.opportunity.lost.v1", source=SOURCE)
class OpportunityLost(EventData):
    opportunity_id: str
    customer_id: str
    owner_id: str | None = None
    team: str | None = None
    amount: Decimal
    currency: str = "CNY"
    reason: str | None = None
    created_at: datetime
    closed_at: datetime


@event_type("crm.sales.opportunity.stalled.v1", source=SOURCE)
class OpportunityStalled(EventData):
    opportunity_id: str
    customer_id: str
    owner_id: str | None = None
    manager_id: str | None = None
    # The opportunity's sales team (its managers are alerted with the owner) and name.
    team: str | None = None
    name: str | None = None
    stage: str
    idle_days: int
    detected_at: datetime


@event_type("crm.sales.order.placed.v1", source=SOURCE)
class OrderPlaced(EventData):
    order_id: str
    order_number: str
    customer_id: str
    opportunity_id: str | None = None
    campaign_id: str | None = None
    owner_id: str | None = None
    amount: Decimal
    currency: str = "CNY"
    placed_at: datetime


@event_type("crm.sales.payment.received.v1", source=SOURCE)
class PaymentReceived(EventData):
    """Raises the customer's total consumption (C-2)."""

    payment_id: str
    order_id: str
    customer_id: str
    campaign_id: str | None = None
    amount: Decimal
    currency: str = "CNY"
    paid_at: datetime
    # The invoice the payment settles and what is still open on it afterwards: reminders
    # to the customer stop once it is 0 (issue #17).
    invoice_id: str | None = None
    invoice_balance: Decimal | None = None


@event_type("crm.sales.order.status_changed.v1", source=SOURCE)
class OrderStatusChanged(EventData):
    order_id: str
    order_number: str
    customer_id: str
    from_status: str
    status: str
    changed_at: datetime


@event_type("crm.sales.invoice.overdue.v1", source=SOURCE)
class InvoiceOverdue(EventData):
    """A receivable past its due date: a reminder for the owner (and the customer)."""

    invoice_id: str
    invoice_number: str
    order_id: str
    customer_id: str
    owner_id: str | None = None
    # The order's sales team: its managers are alerted with the owner.
    team: str | None = None
    amount_due: Decimal
    currency: str = "CNY"
    due_date: date
    days_overdue: int
    detected_at: datetime


@event_type("crm.sales.task.reminder_due.v1", source=SOURCE)
class TaskReminderDue(EventData):
    task_id: str
    title: str
    assignee_id: str | None = None
    customer_id: str | None = None
    team: str | None = None
    due_at: datetime
    reminded_at: datetime


@event_type("crm.sales.task.assigned.v1", source=SOURCE)
class TaskAssigned(EventData):
    """A task got an assignee: created with one, or handed to someone else."""

    task_id: str
    title: str
    assignee_id: str
    team: str | None = None
    # Who assigned it (None for a rule or the system); nobody is alerted of their own act.
    assigned_by: str | None = None
    customer_id: str | None = None
    opportunity_id: str | None = None
    lead_id: str | None = None
    due_at: datetime | None = None
    assigned_at: datetime


@event_type("crm.sales.invoice.issued.v1", source=SOURCE)
class InvoiceIssued(EventData):
    """A receivable the customer owes from now on, due on ``due_date``."""

    invoice_id: str
    invoice_number: str
    order_id: str
    order_number: str | None = None
    customer_id: str
    owner_id: str | None = None
    team: str | None = None
    amount: Decimal
    currency: str = "CNY"
    due_date: date
    issued_at: datetime
