"""Multi-step API journeys shared by the tests: seed customers, build and send a campaign."""

from __future__ import annotations

from typing import Any

from crm_chassis.testing import wait_until
from crm_contracts.events.customer import CustomerCreated

from .conftest import Service
from .factories import campaign_body, customer_created, template_body


async def seed_customers(
    service: Service, tiers: dict[str, int], **fields: Any
) -> list[CustomerCreated]:
    """Publish ``customer.created`` events for the given numbers per tier; wait for them."""
    existing = await service.collection("customer_projection").count_documents({})
    events = [
        customer_created(tier=tier, **fields) for tier, count in tiers.items() for _ in range(count)
    ]
    await service.bus.publish_many(events)
    await service.projected(existing + len(events), timeout=60)
    return events


async def create(service: Service, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await service.client.post(path, json=body, headers=service.marketer)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def prepare_email_campaign(
    service: Service, rules: dict[str, Any], **campaign: Any
) -> dict[str, Any]:
    """A segment, a template and a campaign moved to ``preparing``."""
    segment = await create(service, "/api/v1/segments", {"name": "Audience", "rules": rules})
    template = await create(service, "/api/v1/email-templates", template_body())
    created = await create(
        service,
        "/api/v1/campaigns",
        campaign_body(segment_id=segment["id"], template_id=template["id"], **campaign),
    )
    response = await service.client.post(
        f"/api/v1/campaigns/{created['id']}/status",
        json={"status": "preparing"},
        headers=service.marketer,
    )
    assert response.status_code == 200, response.text
    prepared: dict[str, Any] = response.json()
    return prepared


async def launch(service: Service, campaign_id: str) -> dict[str, Any]:
    response = await service.client.post(
        f"/api/v1/campaigns/{campaign_id}/deliveries", headers=service.marketer
    )
    assert response.status_code == 202, response.text
    summary: dict[str, Any] = response.json()
    return summary


async def metrics(service: Service, campaign_id: str) -> dict[str, Any]:
    response = await service.client.get(
        f"/api/v1/campaigns/{campaign_id}/metrics", headers=service.marketer
    )
    assert response.status_code == 200, response.text
    figures: dict[str, Any] = response.json()
    return figures


async def wait_until_sent(service: Service, campaign_id: str, timeout: float = 60) -> None:
    async def drained() -> bool:
        return (await metrics(service, campaign_id))["queued"] == 0

    await wait_until(drained, timeout=timeout, interval=0.2, what="campaign queue drained")
