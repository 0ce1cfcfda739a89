"""The customer fact: profile attributes, purchases and support signals of one customer.

It gathers what the customer-value and churn model needs from four services:
the profile from customer, orders and payments from sales, tickets, SLA breaches
and survey scores from support. Each contribution is keyed by its own id.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from analytics.domain.facts.base import Fact, Marker, is_newer, marker
from crm_chassis.clock import stored_time
from crm_contracts.events import customer as customer_events
from crm_contracts.events import sales, support
from crm_contracts.events.registry import EventData


class Purchase(BaseModel):
    """An order placed or a payment received, keyed by the order or payment id."""

    model_config = ConfigDict(frozen=True)

    id: str
    amount: Decimal
    at: datetime


class CustomerFact(Fact):
    created: bool = False
    created_at: datetime | None = None
    member_id: str | None = None
    name: str | None = None
    region: str | None = None
    industry: str | None = None
    owner_id: str | None = None
    team: str | None = None
    profile: Marker | None = None
    tier: str = "normal"
    tier_marker: Marker | None = None
    orders: tuple[Purchase, ...] = ()
    payments: tuple[Purchase, ...] = ()
    last_interaction_at: datetime | None = None
    tickets: tuple[str, ...] = ()
    complaints: tuple[str, ...] = ()
    sla_breaches: tuple[str, ...] = ()
    survey_scores: tuple[tuple[str, int], ...] = ()
    merged_into: str | None = None
    erased: bool = False

    @property
    def active(self) -> bool:
        """Counted as a customer: created, and neither merged away nor erased."""
        return self.created and self.merged_into is None and not self.erased

    @property
    def monetary(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal(0))

    def last_activity_at(self) -> datetime | None:
        """The latest sign of life: a purchase, a payment or an interaction."""
        moments = [p.at for p in (*self.orders, *self.payments)]
        if self.last_interaction_at is not None:
            moments.append(self.last_interaction_at)
        if not moments and self.created_at is not None:
            moments.append(self.created_at)
        return max(moments) if moments else None


def customer_id_of(data: EventData) -> str | None:
    """Which customer an event is about (a merge is about the customer that goes away)."""
    if isinstance(data, customer_events.CustomersMerged):
        return str(data.merged_id)
    value = getattr(data, "customer_id", None)
    return value if isinstance(value, str) else None


def fold_customer(fact: CustomerFact | None, event_id: str, data: EventData) -> CustomerFact:
    customer_id = customer_id_of(data)
    assert customer_id is not None
    current = fact or CustomerFact(id=customer_id)
    changes: dict[str, object] = {}
    match data:
        case customer_events.CustomerCreated():
            changes.update(created=True, created_at=stored_time(data.created_at))
            changes.update(member_id=data.member_id)
            if current.tier_marker is None:
                changes["tier"] = data.tier
            changes.update(_profile(current, data, data.created_at, event_id))
        case customer_events.CustomerUpdated():
            changes.update(_profile(current, data, data.updated_at, event_id))
        case customer_events.CustomerTierChanged():
            tier_marker = marker(data.changed_at, event_id)
            if is_newer(tier_marker, current.tier_marker):
                changes.update(tier=data.tier, tier_marker=tier_marker)
        case customer_events.CustomersMerged():
            changes["merged_into"] = data.surviving_id
        case customer_events.CustomerErased():
            changes.update(erased=True, name=None, member_id=None)
        case customer_events.InteractionRecorded():
            changes["last_interaction_at"] = _latest(current.last_interaction_at, data.occurred_at)
        case sales.OrderPlaced():
            changes["orders"] = _with(current.orders, data.order_id, data.amount, data.placed_at)
        case sales.PaymentReceived():
            changes["payments"] = _with(
                current.payments, data.payment_id, data.amount, data.paid_at
            )
        case support.TicketOpened():
            changes["tickets"] = _added(current.tickets, data.ticket_id)
            if data.type == "complaint":
                changes["complaints"] = _added(current.complaints, data.ticket_id)
        case support.SlaBreached():
            changes["sla_breaches"] = _added(current.sla_breaches, f"{data.ticket_id}:{data.clock}")
        case support.SurveyAnswered():
            scores = dict(current.survey_scores)
            scores[data.survey_id] = data.score
            changes["survey_scores"] = tuple(sorted(scores.items()))
        case _:
            return current
    if current.erased or changes.get("erased"):
        changes.update(name=None, member_id=None)
    return current.model_copy(update=changes)


def _profile(
    current: CustomerFact,
    data: customer_events.CustomerCreated | customer_events.CustomerUpdated,
    at: datetime,
    event_id: str,
) -> dict[str, object]:
    profile = marker(at, event_id)
    if not is_newer(profile, current.profile):
        return {}
    return {
        "profile": profile,
        "name": data.name,
        "region": data.region,
        "industry": data.industry,
        "owner_id": data.owner_id,
        "team": data.team,
    }


def _with(
    purchases: tuple[Purchase, ...], purchase_id: str, amount: Decimal, at: datetime
) -> tuple[Purchase, ...]:
    kept = {p.id: p for p in purchases}
    kept[purchase_id] = Purchase(id=purchase_id, amount=amount, at=stored_time(at))
    return tuple(sorted(kept.values(), key=lambda p: (p.at, p.id)))


def _added(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(sorted({*values, value}))


def _latest(current: datetime | None, candidate: datetime) -> datetime:
    candidate = stored_time(candidate)
    return candidate if current is None or candidate > current else current
