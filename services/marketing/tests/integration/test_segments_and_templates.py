"""Segments over the customer projection (M-2) and templates checked at save time (M-3)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.events.customer import (
    CustomerConsumptionChanged,
    CustomerErased,
    CustomerTierChanged,
    CustomerUpdated,
)

from .conftest import Service
from .factories import template_body
from .journeys import create, seed_customers

pytestmark = pytest.mark.integration


async def _preview(service: Service, rules: dict[str, object]) -> int:
    response = await service.client.post(
        "/api/v1/segments/preview", json={"name": "x", "rules": rules}, headers=service.marketer
    )
    assert response.status_code == 200, response.text
    count: int = response.json()["count"]
    return count


async def test_segment_rules_select_customers_by_tier_tags_region_and_consumption(
    service: Service,
) -> None:
    north = await seed_customers(service, {"normal": 3, "vip": 1})
    await seed_customers(service, {"normal": 2}, region="south", tags=["price_sensitive"])
    rich, changed = north[0], north[1]
    now = datetime.now(UTC)
    await service.bus.publish(
        CustomerConsumptionChanged(
            customer_id=rich.customer_id, total_consumption=Decimal("6000"), last_consumption_at=now
        )
    )
    await service.bus.publish(
        CustomerTierChanged(
            customer_id=rich.customer_id,
            previous_tier="normal",
            tier="svip",
            total_consumption=Decimal("6000"),
            changed_at=now,
        )
    )
    await service.bus.publish(
        CustomerUpdated(
            customer_id=changed.customer_id,
            version=2,
            name="Renamed",
            email=changed.email,
            region="south",
            tags=["loyal", "new"],
            updated_at=now,
        )
    )

    # Three kinds of event, handled in no fixed order; consumption is two writes.
    async def applied() -> bool:
        return (
            await _preview(service, {"tiers": ["svip"]}) == 1
            and await _preview(service, {"tags_all": ["loyal", "new"]}) == 1
            and await _preview(service, {"min_consumption": "5000"}) == 1
            and await _preview(service, {"active_within_days": 7}) == 1
        )

    await wait_until(applied, timeout=20, what="projection updated from events")
    assert await _preview(service, {"regions": ["north"]}) == 3
    assert await _preview(service, {"tags_any": ["price_sensitive", "new"]}) == 3
    assert await _preview(service, {"min_consumption": "5000"}) == 1
    assert await _preview(service, {"tiers": ["vip", "svip"], "regions": ["north"]}) == 2
    assert await _preview(service, {"active_within_days": 7}) == 1

    segment = await create(
        service,
        "/api/v1/segments",
        {"name": "VIP list", "kind": "static", "customer_ids": [rich.customer_id, "unknown"]},
    )
    response = await service.client.get(
        f"/api/v1/segments/{segment['id']}/preview", headers=service.marketer
    )
    assert response.json()["count"] == 1

    await service.bus.publish(CustomerErased(customer_id=rich.customer_id, erased_at=now))

    async def erased() -> bool:
        return await _preview(service, {"tiers": ["svip"]}) == 0

    await wait_until(erased, timeout=20, what="erased customer leaves every audience")


async def test_a_segments_member_count_is_the_audience_its_preview_finds(
    service: Service,
) -> None:
    """A rule segment stores no members, yet it has some: the count it shows is its
    preview's, when created, read, listed and changed."""
    await seed_customers(service, {"vip": 2, "normal": 1}, region="east")
    segment = await create(
        service, "/api/v1/segments", {"name": "East VIPs", "rules": {"tiers": ["vip"]}}
    )
    url = f"/api/v1/segments/{segment['id']}"
    preview = await service.client.get(f"{url}/preview", headers=service.marketer)
    assert preview.json()["count"] == 2
    assert segment["member_count"] == 2
    assert (await service.client.get(url, headers=service.marketer)).json()["member_count"] == 2
    listed = await service.client.get("/api/v1/segments", headers=service.marketer)
    assert [item["member_count"] for item in listed.json()["items"]] == [2]
    widened = await service.client.patch(
        url,
        json={"rules": {"tiers": ["vip", "normal"]}},
        headers={**service.marketer, "If-Match": '"1"'},
    )
    assert widened.json()["member_count"] == 3


async def test_contradictory_rules_are_refused_with_the_field_path(service: Service) -> None:
    response = await service.client.post(
        "/api/v1/segments",
        json={"name": "bad", "rules": {"min_consumption": "500", "max_consumption": "100"}},
        headers=service.marketer,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.rules.min_consumption"


async def test_template_with_an_unknown_placeholder_is_refused_when_saved(
    service: Service,
) -> None:
    response = await service.client.post(
        "/api/v1/email-templates",
        json=template_body(html="<p>Hi {{ customer_name }}, your code {{ coupon }}</p>"),
        headers=service.marketer,
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "body.html"
    assert "coupon" in problem["detail"]
    assert await service.collection("email_templates").count_documents({}) == 0


async def test_template_cannot_reach_python_internals(service: Service) -> None:
    response = await service.client.post(
        "/api/v1/email-templates",
        json=template_body(subject="{{ customer_name.__class__.__mro__ }}"),
        headers=service.marketer,
    )
    assert response.status_code == 422


async def test_preview_renders_the_sample_customer_with_html_escaped(service: Service) -> None:
    template = await create(service, "/api/v1/email-templates", template_body())
    response = await service.client.post(
        f"/api/v1/email-templates/{template['id']}/preview",
        json={"values": {"customer_name": "<script>x</script>"}},
        headers=service.marketer,
    )
    assert response.status_code == 200, response.text
    preview = response.json()
    assert "&lt;script&gt;" in preview["html"]
    assert "<script>" not in preview["html"]
    assert preview["subject"] == "Hello <script>x</script>, spring is here"
    assert "Shop now (https://shop.example.org/spring?src=mail)" in preview["text"]
