"""The consumed-event handlers, called with parts built here (no servers): the table
sends each event type to its handler, and another service's fact lands on the timeline
of the customer it names now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from crm_contracts.events import sales, support
from crm_contracts.events.registry import to_cloud_event
from customer.components import Components
from customer.domain.customer import Customer, CustomerStatus
from customer.domain.timeline import TIMELINE_EVENT_TYPES, TimelineEntry
from customer.handlers import HANDLERS, lead_converted, payment_received, timeline_fact

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _customer(customer_id: str, **changes: Any) -> Customer:
    return Customer(
        id=customer_id,
        member_id="VIP0000000001",
        name="Ada",
        created_at=NOW,
        updated_at=NOW,
        **changes,
    )


@dataclass
class _Customers:
    """The customer store as the handlers use it: read, and change through ``update``."""

    known: dict[str, Customer] = field(default_factory=dict)

    async def get(self, customer_id: str) -> Customer | None:
        return self.known.get(customer_id)

    async def update(self, customer_id: str, change: Any, *, attempts: int = 5) -> Customer:
        current = self.known[customer_id]
        changed = change(current)
        if changed is None:
            return current
        self.known[customer_id] = changed[0]
        return self.known[customer_id]


@dataclass
class _Audit:
    """Keyed by customer and version, as the store is: recording again keeps one entry."""

    recorded: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    async def record(self, **entry: Any) -> None:
        self.recorded.setdefault((entry["customer_id"], entry["version"]), entry)

    @property
    def entries(self) -> list[dict[str, Any]]:
        return list(self.recorded.values())


@dataclass
class _Timeline:
    entries: dict[str, TimelineEntry] = field(default_factory=dict)

    async def add(self, entry: TimelineEntry, events: Any = ()) -> bool:
        if entry.id in self.entries:
            return False
        self.entries[entry.id] = entry
        return True


@dataclass
class _Parts:
    customers: _Customers
    timeline: _Timeline = field(default_factory=_Timeline)
    audit: _Audit = field(default_factory=_Audit)


def _parts(*customers: Customer) -> tuple[Components, _Timeline]:
    parts = _Parts(_Customers({customer.id: customer for customer in customers}))
    return cast(Components, parts), parts.timeline


def _payment(customer_id: str, payment_id: str, amount: str) -> sales.PaymentReceived:
    return sales.PaymentReceived(
        payment_id=payment_id,
        order_id=f"o-{payment_id}",
        customer_id=customer_id,
        amount=Decimal(amount),
        paid_at=NOW,
    )


def _ticket(customer_id: str | None) -> support.TicketOpened:
    return support.TicketOpened(
        ticket_id="t-1",
        customer_id=customer_id,
        type="question",
        priority="normal",
        channel="email",
        subject="Where is my order?",
        opened_at=NOW,
    )


def test_every_timeline_fact_is_idempotent_and_payments_and_leads_have_their_own() -> None:
    assert set(HANDLERS) == {*TIMELINE_EVENT_TYPES, sales.LeadConverted.TYPE}
    assert HANDLERS[sales.PaymentReceived.TYPE].run is payment_received
    assert not HANDLERS[sales.PaymentReceived.TYPE].idempotent
    assert HANDLERS[sales.LeadConverted.TYPE].run is lead_converted
    facts = set(TIMELINE_EVENT_TYPES) - {sales.PaymentReceived.TYPE}
    assert len(facts) == len(TIMELINE_EVENT_TYPES) - 1
    assert all(HANDLERS[name].run is timeline_fact for name in facts)
    assert all(HANDLERS[name].idempotent for name in facts)


async def test_a_ticket_lands_on_its_customers_timeline_once() -> None:
    parts, timeline = _parts(_customer("c-1"))
    event = to_cloud_event(_ticket("c-1"))
    await timeline_fact(event, parts)
    await timeline_fact(event, parts)
    assert [(entry.id, entry.customer_id, entry.kind) for entry in timeline.entries.values()] == [
        (event.id, "c-1", "ticket_opened")
    ]


async def test_a_fact_about_a_merged_customer_lands_on_the_survivor() -> None:
    merged = _customer("c-old", status=CustomerStatus.MERGED, merged_into="c-new")
    parts, timeline = _parts(merged, _customer("c-new"))
    await timeline_fact(to_cloud_event(_ticket("c-old")), parts)
    assert [entry.customer_id for entry in timeline.entries.values()] == ["c-new"]


async def test_facts_about_unknown_or_no_customer_are_skipped() -> None:
    parts, timeline = _parts()
    await timeline_fact(to_cloud_event(_ticket("c-unknown")), parts)
    await timeline_fact(to_cloud_event(_ticket(None)), parts)
    assert timeline.entries == {}


async def test_a_payment_is_counted_once_and_a_tier_change_is_on_the_timeline_and_audited() -> None:
    parts, timeline = _parts(_customer("c-1"))
    event = to_cloud_event(_payment("c-1", "p-1", "1200.00"))
    await payment_received(event, parts)
    await payment_received(event, parts)  # redelivered
    counted = await parts.customers.get("c-1")
    assert counted is not None
    assert (counted.consumption.total, counted.tier.value, counted.version) == (
        Decimal("1200.00"),
        "vip",
        2,
    )
    assert sorted(entry.kind for entry in timeline.entries.values()) == [
        "payment_received",
        "tier_changed",
    ]
    audit = cast(_Parts, parts).audit.entries
    assert [(entry["actor"], entry["action"], entry["version"]) for entry in audit] == [
        ("sales", "tier_changed", 2)
    ]


async def test_a_payment_for_a_merged_customer_is_counted_on_the_survivor() -> None:
    merged = _customer("c-old", status=CustomerStatus.MERGED, merged_into="c-new")
    parts, _ = _parts(merged, _customer("c-new"))
    await payment_received(to_cloud_event(_payment("c-old", "p-2", "10.00")), parts)
    survivor, pointer = await parts.customers.get("c-new"), await parts.customers.get("c-old")
    assert survivor is not None
    assert pointer is not None
    assert survivor.consumption.total == Decimal("10.00")
    assert pointer.consumption.total == Decimal("0")
