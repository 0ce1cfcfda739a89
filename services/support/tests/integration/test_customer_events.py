"""The customer projection fed by other services' events (T-5 history, privacy)."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.events.customer import (
    CustomerCreated,
    CustomerErased,
    CustomersMerged,
    InteractionRecorded,
)
from crm_contracts.events.sales import OrderPlaced
from support.domain.sla import Tier
from support.store.customers import CustomerStore, HistoryEntry

from .conftest import SupportApp

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


async def test_ticket_context_shows_customer_history_from_events(
    support, events, add_customers, bodies
) -> None:
    await add_customers(
        CustomerCreated(
            customer_id="c-1", member_id="VIP1", name="Sun Li", tier="svip", created_at=NOW
        )
    )
    await events.publish(
        InteractionRecorded(
            interaction_id="i-1", customer_id="c-1", channel="call", status="replied",
            summary="Asked about delivery", occurred_at=NOW,
        )
    )  # fmt: skip
    order = OrderPlaced(
        order_id="o-1", order_number="SO-1", customer_id="c-1", amount=Decimal("199.00"),
        placed_at=NOW + timedelta(hours=1),
    )  # fmt: skip
    await events.publish(order)
    await events.publish(order)  # delivered twice: recorded once

    async def history_complete() -> bool:
        found = await support.runtime.db["customers"].find_one({"_id": "c-1"})
        return bool(found) and len(found.get("history", [])) == 2

    await wait_until(history_complete, timeout=15, what="customer history")
    earlier = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id="c-1"), headers=support.auth()
        )
    ).json()
    ticket = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id="c-1"), headers=support.auth()
        )
    ).json()

    context = (
        await support.client.get(f"/api/v1/tickets/{ticket['id']}/context", headers=support.auth())
    ).json()
    assert context["customer"]["name"] == "Sun Li"
    assert context["customer"]["tier"] == "svip"
    assert [h["kind"] for h in context["customer"]["history"]] == ["order", "interaction"]
    assert [t["id"] for t in context["recent_tickets"]] == [earlier["id"]]


async def test_erased_customer_leaves_anonymous_tickets_and_merged_ones_move(
    support, events, add_customers, bodies
) -> None:
    await add_customers(
        *(
            CustomerCreated(customer_id=customer_id, member_id="VIP2", name="X", created_at=NOW)
            for customer_id in ("c-gone", "c-old", "c-new")
        )
    )
    gone = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id="c-gone"), headers=support.auth()
        )
    ).json()
    old = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(customer_id="c-old"), headers=support.auth()
        )
    ).json()

    await events.publish(CustomerErased(customer_id="c-gone", erased_at=NOW))
    await events.publish(CustomersMerged(surviving_id="c-new", merged_id="c-old", merged_at=NOW))

    async def applied() -> bool:
        erased = (
            await support.client.get(f"/api/v1/tickets/{gone['id']}", headers=support.auth())
        ).json()
        moved = (
            await support.client.get(f"/api/v1/tickets/{old['id']}", headers=support.auth())
        ).json()
        return erased["requester_email"] is None and moved["customer_id"] == "c-new"

    await wait_until(applied, timeout=15, what="erasure and merge")
    erased = (
        await support.client.get(f"/api/v1/tickets/{gone['id']}", headers=support.auth())
    ).json()
    assert erased["description"] == "[erased]"
    assert {m["body"] for m in erased["messages"]} == {"[erased]"}


async def test_the_customer_copy_ends_the_same_whatever_order_its_events_arrive_in(
    support: SupportApp,
) -> None:
    """created, a later update, a tier change and a history entry, in every order, the
    creation delivered twice: one resulting copy."""
    store = CustomerStore(support.runtime.db)
    entry = HistoryEntry(entry_id="i-1", kind="interaction", channel="call", occurred_at=NOW)

    def steps(customer_id: str) -> list[Callable[[], Awaitable[None]]]:
        def created() -> Awaitable[None]:
            return store.record_created(
                customer_id,
                {"name": "Old", "email": None, "language": "zh-CN"},
                Tier.NORMAL,
                event_id="e-1",
            )

        return [
            created,
            created,
            lambda: store.record_updated(
                customer_id,
                2,
                {"name": "New", "email": "a@b.example", "language": "en"},
                event_id="e-2",
            ),
            lambda: store.record_tier(customer_id, Tier.VIP, NOW, event_id="e-3"),
            lambda: store.add_history(customer_id, entry),
        ]

    copies = []
    for number, order in enumerate(itertools.permutations(range(5))):
        customer_id = f"perm-{number}"
        for index in order:
            await steps(customer_id)[index]()
        copy = await store.get(customer_id)
        assert copy is not None
        copies.append(copy.model_dump(exclude={"id"}))

    assert copies[0] == {
        "name": "New",
        "email": "a@b.example",
        "tier": Tier.VIP,
        "owner_id": None,
        "language": "en",
        "history": [entry.model_dump()],
    }
    assert all(copy == copies[0] for copy in copies)


async def test_an_erased_customer_stays_erased_whatever_order_its_events_arrive_in(
    support: SupportApp,
) -> None:
    """The same events with the erasure among them, in every order: only the tombstone
    is left (no name, e-mail, tier or history), so no late event brings them back."""
    store = CustomerStore(support.runtime.db)
    entry = HistoryEntry(entry_id="i-1", kind="interaction", channel="call", occurred_at=NOW)

    def steps(customer_id: str) -> list[Callable[[], Awaitable[None]]]:
        def created() -> Awaitable[None]:
            return store.record_created(
                customer_id, {"name": "Old", "email": "a@b.example"}, Tier.NORMAL, event_id="e-1"
            )

        return [
            created,
            lambda: store.record_updated(
                customer_id,
                2,
                {"name": "New", "email": "a@b.example", "language": "en"},
                event_id="e-2",
            ),
            lambda: store.record_tier(customer_id, Tier.VIP, NOW, event_id="e-3"),
            lambda: store.add_history(customer_id, entry),
            lambda: store.erase(customer_id, NOW),
        ]

    for number, order in enumerate(itertools.permutations(range(5))):
        customer_id = f"erased-{number}"
        for index in order:
            await steps(customer_id)[index]()
        assert await store.get(customer_id) is None, order
        left = await support.runtime.db["customers"].find_one({"_id": customer_id})
        assert left == {"_id": customer_id, "erased": True, "erased_at": NOW}, order
    assert await store.by_email("a@b.example") is None
