"""Events from other services: campaign responses become leads, customer copies stay current."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from crm_chassis.mongo import create_client, database
from crm_contracts.events import customer, marketing
from sales.settings import Settings
from sales.store.customers import CustomerStore

pytestmark = pytest.mark.integration


async def test_campaign_response_becomes_one_lead_even_when_delivered_twice(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    north_china: dict[str, Any],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    response = marketing.CampaignResponded(
        response_id="resp-1",
        campaign_id="cmp-9",
        name="Han Meimei",
        email="han@example.cn",
        company="Tianjin Port",
        region="Tianjin",
        interest="pricing",
        responded_at=datetime.now(UTC),
    )
    await publish(response)
    await publish(response)

    async def leads() -> list[dict[str, Any]]:
        page = await client.get(
            "/api/v1/leads", params={"source_channel": "campaign"}, headers=admin
        )
        return list(page.json()["items"])

    await eventually(leads)
    [lead] = await leads()
    assert lead["campaign_id"] == "cmp-9"
    assert lead["team"] == "north-china"
    assert lead["interest_level"] == 3


async def test_customer_events_keep_the_local_copy_shown_on_opportunities(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    now = datetime.now(UTC)
    created = await client.post(
        "/api/v1/opportunities", json={"name": "Deal", "customer_id": "cust-7"}, headers=admin
    )
    url = f"/api/v1/opportunities/{created.json()['opportunity_id']}"
    await publish(
        customer.CustomerCreated(
            customer_id="cust-7", member_id="VIP1", name="Acme", created_at=now
        )
    )
    await publish(
        customer.CustomerTierChanged(
            customer_id="cust-7",
            previous_tier="normal",
            tier="vip",
            total_consumption=Decimal("1200.00"),
            changed_at=now,
        )
    )

    async def shown() -> bool:
        body = (await client.get(url, headers=admin)).json()
        return bool(body["customer_name"] == "Acme" and body["customer_tier"] == "vip")

    await eventually(shown)


async def test_the_customer_copy_ends_confirmed_and_current_whatever_the_order(
    settings: Settings,
) -> None:
    """A copy remembered at a lead's conversion, the creation (delivered twice) and a
    later update, in every order: the update's values, confirmed."""
    client = create_client(settings.mongo_url.get_secret_value())
    store = CustomerStore(database(client, settings.mongo_db))
    fields = {"company": "Acme Ltd", "industry": None, "region": None}

    def step(kind: str, customer_id: str) -> Awaitable[None]:
        if kind == "converted":
            return store.remember_converted(customer_id, "From the lead", None)
        if kind == "created":
            return store.created(customer_id, {**fields, "name": "Acme"}, "normal", "event-created")
        return store.updated(customer_id, 2, {**fields, "name": "Acme Group"}, "event-updated")

    try:
        orders = set(itertools.permutations(["converted", "created", "created", "updated"]))
        for number, order in enumerate(sorted(orders)):
            customer_id = f"order-{number}"
            for kind in order:
                await step(kind, customer_id)
            copy = await store.get(customer_id)
            assert copy is not None
            assert (copy.name, copy.company, copy.confirmed) == ("Acme Group", "Acme Ltd", True)
    finally:
        await client.close()


async def test_an_erased_customer_stays_erased_whatever_order_its_events_arrive_in(
    settings: Settings,
) -> None:
    """The same deliveries and a tier change with the erasure among them, in every order:
    only the tombstone is left, so no late event brings the name back."""
    client = create_client(settings.mongo_url.get_secret_value())
    db = database(client, settings.mongo_db)
    store = CustomerStore(db)
    erased_at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    fields = {"company": "Acme Ltd", "industry": None, "region": None}

    def step(kind: str, customer_id: str) -> Awaitable[None]:
        if kind == "converted":
            return store.remember_converted(customer_id, "From the lead", None)
        if kind == "created":
            return store.created(customer_id, {**fields, "name": "Acme"}, "normal", "event-created")
        if kind == "updated":
            return store.updated(customer_id, 2, {**fields, "name": "Acme Group"}, "event-updated")
        if kind == "tier":
            return store.tier_changed(customer_id, "vip", erased_at, "event-tier")
        return store.erased(customer_id, erased_at)

    try:
        kinds = ["converted", "created", "updated", "tier", "erased"]
        for number, order in enumerate(itertools.permutations(kinds)):
            customer_id = f"erased-{number}"
            for kind in order:
                await step(kind, customer_id)
            assert await store.get(customer_id) is None, order
            left = await db["customers"].find_one({"_id": customer_id})
            assert left == {"_id": customer_id, "erased": True, "erased_at": erased_at}, order
            assert await store.tiers([customer_id]) == {}
    finally:
        await client.close()
