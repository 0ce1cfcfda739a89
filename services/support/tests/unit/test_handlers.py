"""Consumed-event handlers are plain functions: called here with stand-in stores that
record what they were asked to do, no broker or database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from crm_chassis.events import IdempotentHandler
from crm_chassis.handler_table import bind
from crm_contracts.events.customer import (
    CustomerCreated,
    CustomerErased,
    CustomersMerged,
    CustomerUpdated,
    InteractionRecorded,
)
from crm_contracts.events.registry import to_cloud_event
from crm_contracts.events.sales import OrderPlaced
from support.components import Components
from support.domain.sla import Tier
from support.handlers import (
    HANDLERS,
    customer_created,
    customer_erased,
    customers_merged,
    order_placed,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Recorder:
    """A store stand-in: every call is kept as ``(store, method, args)``, keyword
    arguments last as ``(name, value)`` pairs."""

    def __init__(self, name: str, calls: list[tuple[str, str, tuple[Any, ...]]]) -> None:
        self._name, self._calls = name, calls

    def __getattr__(self, method: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.append((self._name, method, (*args, *sorted(kwargs.items()))))
            return ["t-1", "t-2"] if method == "ids_for_customer" else None

        return call


def parts(calls: list[tuple[str, str, tuple[Any, ...]]]) -> Components:
    stores = {n: Recorder(n, calls) for n in ("customers", "tickets", "surveys", "attachments")}
    return cast(Components, SimpleNamespace(**stores))


async def test_customer_created_keeps_a_lower_cased_address_the_parsed_tier_and_the_event_id() -> (
    None
):
    calls: list[tuple[str, str, tuple[Any, ...]]] = []
    event = to_cloud_event(
        CustomerCreated(
            customer_id="c-1",
            member_id="VIP0001",
            name="Li Wei",
            email="Li.Wei@Example.COM",
            owner_id="rep-1",
            tier="vip",
            created_at=T0,
            language="en",
        )
    )
    await customer_created(event, parts(calls))
    fields = {
        "name": "Li Wei",
        "email": "li.wei@example.com",
        "owner_id": "rep-1",
        "language": "en",
    }
    assert calls == [
        ("customers", "record_created", ("c-1", fields, Tier.VIP, ("event_id", event.id)))
    ]


async def test_a_merge_repoints_tickets_and_surveys_then_forgets_the_merged_copy() -> None:
    calls: list[tuple[str, str, tuple[Any, ...]]] = []
    event = to_cloud_event(CustomersMerged(surviving_id="c-1", merged_id="c-2", merged_at=T0))
    await customers_merged(event, parts(calls))
    assert calls == [
        ("tickets", "reassign_customer", ("c-2", "c-1")),
        ("surveys", "reassign_customer", ("c-2", "c-1")),
        ("customers", "remove", ("c-2",)),
    ]


async def test_an_erasure_drops_attachments_and_text_and_leaves_a_tombstone() -> None:
    calls: list[tuple[str, str, tuple[Any, ...]]] = []
    await customer_erased(
        to_cloud_event(CustomerErased(customer_id="c-1", erased_at=T0)), parts(calls)
    )
    assert calls == [
        ("tickets", "ids_for_customer", ("c-1",)),
        ("attachments", "delete_for", ("t-1",)),
        ("attachments", "delete_for", ("t-2",)),
        ("tickets", "erase_customer", ("c-1",)),
        ("surveys", "erase_customer", ("c-1",)),
        ("customers", "erase", ("c-1", T0)),
    ]


async def test_an_order_becomes_one_history_entry_keyed_by_the_order() -> None:
    calls: list[tuple[str, str, tuple[Any, ...]]] = []
    event = to_cloud_event(
        OrderPlaced(
            order_id="o-1",
            order_number="SO-7",
            customer_id="c-1",
            amount=Decimal("120.50"),
            placed_at=T0,
        )
    )
    await order_placed(event, parts(calls))
    [(store, method, (customer_id, entry))] = calls
    assert (store, method, customer_id) == ("customers", "add_history", "c-1")
    assert entry.entry_id == "order:o-1"
    assert entry.summary == "Order SO-7: 120.50 CNY"
    assert entry.occurred_at == T0


def test_only_the_projection_writes_skip_the_ledger() -> None:
    bound = bind(HANDLERS, parts([]))
    idempotent = {t for t, handler in bound.items() if isinstance(handler, IdempotentHandler)}
    assert idempotent == {
        CustomerCreated.TYPE,
        CustomerUpdated.TYPE,
        InteractionRecorded.TYPE,
        OrderPlaced.TYPE,
    }
