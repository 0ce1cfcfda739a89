"""Events from other services: campaign responses become leads, customer copies stay current."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from crm_contracts.events import customer, marketing

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
