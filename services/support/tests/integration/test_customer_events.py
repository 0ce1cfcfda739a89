"""The customer projection fed by other services' events (T-5 history, privacy)."""

from __future__ import annotations

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

    await wait_until(history_complete, timeout=10, what="customer history")
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

    await wait_until(applied, timeout=10, what="erasure and merge")
    erased = (
        await support.client.get(f"/api/v1/tickets/{gone['id']}", headers=support.auth())
    ).json()
    assert erased["description"] == "[erased]"
    assert {m["body"] for m in erased["messages"]} == {"[erased]"}
