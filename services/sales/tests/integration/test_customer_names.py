"""Quotes, orders and opportunities name their customer from sales' copy of customers,
read for a whole page at once: a list costs the same database commands whatever its
length."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient, monitoring

from crm_chassis.command_counting import commands_of, count_database_commands
from crm_chassis.mongo import Document, database
from crm_chassis.pagination import MAX_PAGE_SIZE
from crm_chassis.testing import RunningService, ServiceRunner
from crm_contracts.events import customer
from sales.app import create_app
from sales.settings import Settings
from sales.store.customers import CustomerLabel, CustomerStore

pytestmark = pytest.mark.integration

LINES = [{"product": "Seat", "quantity": "1", "unit_price": "500.00"}]
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/quotes": {"terms": {"lines": LINES}},
    "/api/v1/orders": {"lines": LINES},
    "/api/v1/opportunities": {"name": "Deal", "amount": "500.00"},
}


@pytest.fixture
async def sales(
    service_runner: ServiceRunner, settings: Settings
) -> AsyncIterator[RunningService[Settings]]:
    """The app served as in every sales test, its responses naming the database commands
    each request sent."""
    app = create_app(settings)
    count_database_commands(app)
    async with service_runner.serve(RunningService[Settings], app) as running:
        yield running


async def _create(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, customer_id: str
) -> dict[str, Any]:
    response = await client.post(
        url, json={**BODIES[url], "customer_id": customer_id}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _id_field(url: str) -> str:
    return {"quotes": "quote_id", "orders": "order_id", "opportunities": "opportunity_id"}[
        url.rsplit("/", 1)[1]
    ]


async def _names(
    client: httpx.AsyncClient, headers: dict[str, str], url: str
) -> dict[str, str | None]:
    """Customer id to the name the list shows for it."""
    response = await client.get(url, params={"limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return {item["customer_id"]: item["customer_name"] for item in response.json()["items"]}


@pytest.mark.parametrize("url", ["/api/v1/quotes", "/api/v1/orders"])
async def test_quotes_and_orders_name_their_customer_and_none_once_it_is_erased(
    url: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    now = datetime.now(UTC)
    for customer_id, name in (("c-acme", "华北机械 Acme"), ("c-gone", "Gone Ltd")):
        await publish(
            customer.CustomerCreated(
                customer_id=customer_id, member_id=f"M-{customer_id}", name=name, created_at=now
            )
        )
    acme = await _create(client, admin, url, "c-acme")
    for customer_id in ("c-gone", "c-never-heard-of"):
        await _create(client, admin, url, customer_id)
    named = {"c-acme": "华北机械 Acme", "c-gone": "Gone Ltd", "c-never-heard-of": None}

    async def listed(expected: dict[str, str | None]) -> bool:
        return await _names(client, admin, url) == expected

    await eventually(lambda: listed(named), what="both names in the list")
    detail = await client.get(f"{url}/{acme[_id_field(url)]}", headers=admin)
    assert detail.status_code == 200
    assert detail.json()["customer_name"] == "华北机械 Acme"

    await publish(customer.CustomerErased(customer_id="c-gone", erased_at=now))
    await eventually(lambda: listed({**named, "c-gone": None}), what="the erasure applied")


async def test_an_opportunity_list_names_each_customer_and_its_tier(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    await publish(
        customer.CustomerCreated(
            customer_id="c-acme",
            member_id="M-1",
            name="Acme",
            tier="vip",
            created_at=datetime.now(UTC),
        )
    )
    # A tier change heard before the customer's creation: the tier is known, the name not.
    await publish(
        customer.CustomerTierChanged(
            customer_id="c-tier-only",
            previous_tier="normal",
            tier="vip",
            total_consumption=Decimal("1200.00"),
            changed_at=datetime.now(UTC),
        )
    )
    for customer_id in ("c-acme", "c-tier-only", "c-unknown"):
        await _create(client, admin, "/api/v1/opportunities", customer_id)

    async def listed() -> bool:
        page = await client.get("/api/v1/opportunities", headers=admin)
        shown = {
            item["customer_id"]: (item["customer_name"], item["customer_tier"])
            for item in page.json()["items"]
        }
        return shown == {
            "c-acme": ("Acme", "vip"),
            "c-tier-only": (None, "vip"),
            "c-unknown": (None, None),
        }

    await eventually(listed, what="the customer's name and tier on its deal")


@pytest.mark.parametrize("url", list(BODIES))
async def test_a_list_of_30_costs_the_database_commands_of_a_list_of_3(
    url: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    """One query reads the page, one counts it, one reads the names of every customer on
    it: not one read per record."""
    await publish(
        customer.CustomerCreated(
            customer_id="c-0", member_id="VIP0000000000", name="First", created_at=datetime.now(UTC)
        )
    )
    for number in range(3):
        await _create(client, admin, url, f"c-{number}")
    await eventually(
        lambda: _names_include(client, admin, url, "c-0", "First"), what="the first name"
    )
    short = await client.get(url, params={"limit": 50}, headers=admin)
    assert len(short.json()["items"]) == 3
    for number in range(3, 30):
        await _create(client, admin, url, f"c-{number}")
    long = await client.get(url, params={"limit": 50}, headers=admin)
    assert len(long.json()["items"]) == 30

    assert commands_of(long) == commands_of(short)
    assert sum(command == "find:customers" for command in commands_of(long)) == 1


async def _names_include(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, customer_id: str, name: str
) -> bool:
    return (await _names(client, headers, url)).get(customer_id) == name


class _Commands(monitoring.CommandListener):
    """The names of the commands a client sent."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.names.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_the_names_of_a_page_of_200_are_read_with_one_command(settings: Settings) -> None:
    """More customers than MongoDB's first batch holds by default (101): still one command,
    no getMore (the local MongoDB-protocol server sends all in the first batch anyway)."""
    commands = _Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        settings.mongo_url.get_secret_value(), tz_aware=True, event_listeners=[commands]
    )
    store = CustomerStore(database(client, settings.mongo_db))
    ids = [f"c-{number:03d}" for number in range(MAX_PAGE_SIZE)]
    try:
        await client[settings.mongo_db]["customers"].insert_many(
            [{"_id": customer_id, "name": f"Name {customer_id}"} for customer_id in ids]
        )
        await store.erased("c-000", datetime.now(UTC))
        commands.names.clear()
        labels = await store.labels([*ids, "c-unknown"])
        assert commands.names == ["find"]
    finally:
        await client.close()
    assert len(labels) == MAX_PAGE_SIZE - 1
    assert "c-000" not in labels
    assert labels["c-199"] == CustomerLabel(name="Name c-199", tier="normal")
