"""The customer list filtered by value segment (C-6): the customers it lists are exactly
those whose profile shows that segment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.events import sales

from .conftest import Service
from .factories import customer_body

pytestmark = pytest.mark.integration

SEGMENTS = ("high value", "loyal", "new", "at risk", "price sensitive")


async def _customer(service: Service, company: str) -> str:
    response = await service.client.post(
        "/api/v1/customers", json=customer_body(company=company), headers=service.admin
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _pay(service: Service, customer_id: str, amount: str, days_ago: int) -> None:
    await service.bus.publish(
        sales.PaymentReceived(
            payment_id=uuid.uuid4().hex,
            order_id=uuid.uuid4().hex,
            customer_id=customer_id,
            amount=Decimal(amount),
            paid_at=datetime.now(UTC) - timedelta(days=days_ago),
        )
    )


async def test_each_segment_lists_exactly_the_customers_whose_profile_shows_it(
    service: Service,
) -> None:
    company = f"Segment {uuid.uuid4().hex[:6]}"
    big_and_loyal = await _customer(service, company)
    for week in range(7):
        await _pay(service, big_and_loyal, "1000.00", days_ago=week * 7)
    quiet_and_small = await _customer(service, company)
    for days_ago in (200, 250, 300):
        await _pay(service, quiet_and_small, "20.00", days_ago=days_ago)
    one_big_order = await _customer(service, company)
    await _pay(service, one_big_order, "5000.00", days_ago=1)
    old_and_idle = await _customer(service, company)
    await service.collection("customers").update_one(
        {"_id": old_and_idle}, {"$set": {"created_at": datetime.now(UTC) - timedelta(days=40)}}
    )

    async def counted() -> bool:
        response = await service.client.get(
            "/api/v1/customers", params={"q": company, "limit": 50}, headers=service.admin
        )
        totals = {
            item["id"]: item["consumption"]["total_consumption"]
            for item in response.json()["items"]
        }
        return (
            totals.get(big_and_loyal) == "7000.00"
            and totals.get(quiet_and_small) == "60.00"
            and totals.get(one_big_order) == "5000.00"
        )

    await wait_until(counted, timeout=15, what="the payments counted")
    everyone = await service.client.get(
        "/api/v1/customers", params={"q": company, "limit": 50}, headers=service.admin
    )
    shown = {item["id"]: set(item["value"]["segments"]) for item in everyone.json()["items"]}
    assert shown == {
        big_and_loyal: {"high value", "loyal", "new"},
        quiet_and_small: {"at risk", "price sensitive", "new"},
        one_big_order: {"high value", "new"},
        old_and_idle: set(),
    }

    for segment in SEGMENTS:
        response = await service.client.get(
            "/api/v1/customers",
            params={"q": company, "segment": segment, "limit": 50},
            headers=service.admin,
        )
        assert response.status_code == 200, response.text
        listed = {item["id"] for item in response.json()["items"]}
        assert listed == {id_ for id_, segments in shown.items() if segment in segments}, segment
        assert response.json()["total"] == len(listed)


async def test_an_unknown_segment_is_refused_by_name(service: Service) -> None:
    response = await service.client.get(
        "/api/v1/customers", params={"segment": "whales"}, headers=service.admin
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.segment"
