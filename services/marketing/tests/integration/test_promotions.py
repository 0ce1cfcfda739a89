"""Promotions and coupons (M-6): automatic SVIP coupons, limits and validity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events.customer import CustomerTierChanged

from .conftest import Service
from .journeys import create

pytestmark = pytest.mark.integration


def _promotion(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "SVIP welcome",
        "kind": "percentage_discount",
        "value": "15",
        "valid_from": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
    }
    body.update(overrides)
    return body


async def test_reaching_svip_issues_one_automatic_coupon(service: Service) -> None:
    promotion = await create(service, "/api/v1/promotions", _promotion(auto_issue_on_tier="svip"))
    change = CustomerTierChanged(
        customer_id="c-svip",
        previous_tier="vip",
        tier="svip",
        total_consumption=Decimal("5200"),
        changed_at=datetime.now(UTC),
    )
    await service.bus.publish(change)
    await service.bus.publish(change)  # the same change delivered twice

    async def issued() -> bool:
        return any(
            e["data"]["customer_id"] == "c-svip"
            for e in service.bus.of_type("crm.marketing.coupon.issued.v1")
        )

    await wait_until(issued, timeout=20, what="coupon.issued event")
    coupons = await service.client.get(
        "/api/v1/coupons", params={"customer_id": "c-svip"}, headers=service.marketer
    )
    [coupon] = coupons.json()["items"]
    assert coupon["promotion_id"] == promotion["id"]
    assert coupon["reason"] == "tier_reached:svip"


async def test_a_coupon_is_redeemed_at_most_its_limit_and_only_by_its_owner(
    service: Service,
) -> None:
    promotion = await create(service, "/api/v1/promotions", _promotion())
    coupon = await create(
        service,
        "/api/v1/coupons",
        {"promotion_id": promotion["id"], "customer_id": "c-1", "code": "SPRING-2026"},
    )
    assert coupon["code"] == "SPRING2026"
    seller = service.auth(Role.SALES_REP, subject="rep-1", team="north")
    path = "/api/v1/coupons/spring-2026/redemptions"
    wrong = await service.client.post(path, json={"customer_id": "c-2"}, headers=seller)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "body.customer_id"
    used = await service.client.post(
        path, json={"customer_id": "c-1", "order_id": "o-9"}, headers=seller
    )
    assert used.status_code == 200
    assert used.json()["redemptions"] == 1
    again = await service.client.post(path, json={"customer_id": "c-1"}, headers=seller)
    assert again.status_code == 422
    assert "used up" in again.json()["detail"]


async def test_a_percentage_over_100_is_refused(service: Service) -> None:
    response = await service.client.post(
        "/api/v1/promotions", json=_promotion(value="150"), headers=service.marketer
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.value"
