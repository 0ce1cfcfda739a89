"""Facts from other services' events: consumption and tier (C-2, C-3), the timeline (C-5),
converted leads (S-4)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events import marketing, sales, support
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import ProspectDetails
from customer.components import components
from customer.domain.timeline import TimelineEntry
from customer.operations import consumption
from customer.store.timeline import TimelineStore

from .conftest import Service
from .factories import customer_body

pytestmark = pytest.mark.integration

TIER_CHANGED = "crm.customer.customer.tier_changed.v1"


def payment(customer_id: str, amount: str, payment_id: str | None = None) -> sales.PaymentReceived:
    return sales.PaymentReceived(
        payment_id=payment_id or uuid.uuid4().hex,
        order_id=uuid.uuid4().hex,
        customer_id=customer_id,
        amount=Decimal(amount),
        paid_at=datetime.now(UTC),
    )


async def _customer(service: Service) -> str:
    response = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    return str(response.json()["id"])


async def _total(service: Service, customer_id: str) -> Decimal:
    response = await service.client.get(f"/api/v1/customers/{customer_id}", headers=service.admin)
    return Decimal(response.json()["consumption"]["total_consumption"])


async def test_payments_raise_tier_normal_vip_svip_with_one_event_per_change(
    service: Service,
) -> None:
    customer_id = await _customer(service)
    first = payment(customer_id, "600.00")
    await service.bus.publish(first)
    await service.bus.publish(payment(customer_id, "500.00"))  # 1100: VIP

    async def total_is(amount: str) -> bool:
        return await _total(service, customer_id) == Decimal(amount)

    await wait_until(lambda: total_is("1100.00"), timeout=15, what="two payments counted")
    # The same payment again, redelivered and re-sent under a new event id: counted once.
    await service.bus.publish(first)
    await service.bus.publish(first.model_copy(), event_id=str(uuid.uuid4()))
    await service.bus.publish(payment(customer_id, "3900.00"))  # 5000: SVIP
    await wait_until(lambda: total_is("5000.00"), timeout=15, what="third payment counted")
    body = await service.client.get(f"/api/v1/customers/{customer_id}", headers=service.admin)
    assert body.json()["tier"] == "svip"

    async def two_tier_events() -> bool:
        return len(service.bus.of_type(TIER_CHANGED)) >= 2

    await wait_until(two_tier_events, timeout=15, what="tier events published")
    # A marker event published after everything else shows the outbox has drained.
    await service.client.patch(
        f"/api/v1/customers/{customer_id}",
        json={"title": "marker"},
        headers={**service.admin, "If-Match": "*"},
    )
    await wait_until(
        lambda: _has(service, "crm.customer.customer.updated.v1"), timeout=15, what="marker"
    )
    changes = [
        (e["data"]["previous_tier"], e["data"]["tier"]) for e in service.bus.of_type(TIER_CHANGED)
    ]
    assert changes == [("normal", "vip"), ("vip", "svip")]
    assert await _total(service, customer_id) == Decimal("5000.00")


async def _tier_entries(service: Service, customer_id: str) -> list[dict[str, Any]]:
    url = f"/api/v1/customers/{customer_id}/timeline"
    response = await service.client.get(url, headers=service.admin)
    assert response.status_code == 200, response.text
    return [item for item in response.json()["items"] if item["kind"] == "tier_changed"]


async def _tier_audits(service: Service, customer_id: str) -> list[dict[str, Any]]:
    url = f"/api/v1/customers/{customer_id}/audit"
    response = await service.client.get(url, headers=service.admin)
    assert response.status_code == 200, response.text
    return [item for item in response.json() if item["action"] == "tier_changed"]


async def test_a_tier_change_shows_on_the_timeline_and_in_the_audit_trail(
    service: Service,
) -> None:
    customer_id = await _customer(service)
    await service.bus.publish(payment(customer_id, "1200.00"))  # 1200: VIP

    # The handler writes the timeline entry, then the audit entry: wait for both.
    async def both_written() -> bool:
        timeline = await _tier_entries(service, customer_id)
        return bool(timeline) and bool(await _tier_audits(service, customer_id))

    await wait_until(both_written, timeout=15, what="the tier change on the timeline and audit")
    [entry] = await _tier_entries(service, customer_id)
    assert entry["source"] == "customer"
    assert entry["summary"] == "Tier changed from normal to vip (total consumption 1200.00)"
    [audited] = await _tier_audits(service, customer_id)
    assert audited["actor"] == "sales"
    assert audited["changes"] == [{"field": "tier", "before": "normal", "after": "vip"}]


class _HandlerDied(Exception):
    pass


class _DiesAtItsFirstEntry(TimelineStore):
    """The timeline of a handler that dies right after its customer write."""

    died = False

    async def add(self, entry: TimelineEntry, events: Sequence[EventData] = ()) -> bool:
        if not self.died:
            self.died = True
            raise _HandlerDied(entry.id)
        return await super().add(entry, events)


async def test_a_tier_change_survives_a_crash_after_the_customer_write(service: Service) -> None:
    """The redelivered payment finds itself counted already and still writes the tier
    change's timeline and audit entries, once however often it comes again."""
    customer_id = await _customer(service)
    parts = components(service.runtime)
    dying = dataclasses.replace(parts, timeline=_DiesAtItsFirstEntry(service.runtime.db))
    paid = payment(customer_id, "1200.00")
    with pytest.raises(_HandlerDied):
        await consumption.count_payment(dying, paid)
    customer = await service.client.get(f"/api/v1/customers/{customer_id}", headers=service.admin)
    assert customer.json()["tier"] == "vip"  # the customer write was done
    assert await _tier_entries(service, customer_id) == []
    assert await _tier_audits(service, customer_id) == []

    await consumption.count_payment(parts, paid)  # redelivered
    await consumption.count_payment(parts, paid)  # and once more

    assert await _total(service, customer_id) == Decimal("1200.00")
    [entry] = await _tier_entries(service, customer_id)
    assert entry["summary"] == "Tier changed from normal to vip (total consumption 1200.00)"
    [audited] = await _tier_audits(service, customer_id)
    assert (audited["actor"], audited["version"]) == ("sales", 2)
    assert audited["changes"] == [{"field": "tier", "before": "normal", "after": "vip"}]


async def _has(service: Service, event_type: str) -> bool:
    return bool(service.bus.of_type(event_type))


async def test_timeline_merges_all_services_in_time_order(service: Service) -> None:
    customer_id = await _customer(service)
    start = datetime.now(UTC) - timedelta(days=10)
    at = [start + timedelta(days=day) for day in range(6)]
    await service.bus.publish(
        support.TicketOpened(
            ticket_id="t1", customer_id=customer_id, type="technical", priority="high",
            channel="email", subject="Cannot log in", opened_at=at[3],
        )
    )  # fmt: skip
    await service.bus.publish(
        sales.OrderPlaced(
            order_id="o1", order_number="SO-1", customer_id=customer_id,
            amount=Decimal("99.50"), placed_at=at[1],
        )
    )  # fmt: skip
    await service.bus.publish(
        marketing.MessageOpened(
            message_id="m1", campaign_id="c1", customer_id=customer_id, opened_at=at[0]
        )
    )
    await service.bus.publish(
        support.SurveyAnswered(survey_id="s1", customer_id=customer_id, score=5, answered_at=at[4])
    )
    recorded = await service.client.post(
        f"/api/v1/customers/{customer_id}/interactions",
        json={
            "channel": "call",
            "occurred_at": at[2].isoformat(),
            "summary": "Discussed renewal",
            "status": "replied",
        },
        headers=service.admin,
    )
    assert recorded.status_code == 201, recorded.text

    async def timeline() -> list[dict[str, object]]:
        response = await service.client.get(
            f"/api/v1/customers/{customer_id}/timeline", headers=service.admin
        )
        items: list[dict[str, object]] = response.json()["items"]
        return items

    async def all_in() -> bool:
        return len(await timeline()) == 5

    await wait_until(all_in, timeout=15, what="five timeline entries")
    items = await timeline()
    assert [item["source"] for item in items] == [
        "support", "support", "customer", "sales", "marketing",
    ]  # fmt: skip
    assert [item["kind"] for item in items][::-1] == [
        "email_opened", "order_placed", "interaction", "ticket_opened", "survey_answered",
    ]  # fmt: skip


async def test_converted_lead_creates_customer_and_primary_contact_once(service: Service) -> None:
    converted = sales.LeadConverted(
        lead_id="lead-1",
        customer_id="cust-from-sales",
        contact_id="contact-from-sales",
        owner_id="rep-9",
        prospect=ProspectDetails(
            name="Chen Jie", email="chen@example.com", phone="13912345678", company="Blue Sky"
        ),
        converted_at=datetime.now(UTC),
    )
    await service.bus.publish(converted)
    await service.bus.publish(converted, event_id=str(uuid.uuid4()))

    async def created() -> bool:
        response = await service.client.get(
            "/api/v1/customers/cust-from-sales/contacts", headers=service.admin
        )
        return response.status_code == 200 and len(response.json()) == 1

    await wait_until(created, timeout=15, what="customer and contact from the lead")
    customer = await service.client.get("/api/v1/customers/cust-from-sales", headers=service.admin)
    assert customer.json()["owner_id"] == "rep-9"
    contacts = await service.client.get(
        "/api/v1/customers/cust-from-sales/contacts", headers=service.admin
    )
    assert contacts.json()[0]["id"] == "contact-from-sales"
    assert contacts.json()[0]["primary"] is True
    listed = await service.client.get("/api/v1/customers", headers=service.admin)
    assert listed.json()["total"] == 1


async def test_a_customer_converted_from_a_lead_is_in_the_leads_team(service: Service) -> None:
    """The rep's manager sees the customer their rep converted, as they saw the lead."""
    await service.bus.publish(
        sales.LeadConverted(
            lead_id="lead-2",
            customer_id="cust-of-north",
            contact_id="contact-of-north",
            owner_id="rep-9",
            team="north",
            prospect=ProspectDetails(name="Wu Fang"),
            converted_at=datetime.now(UTC),
        )
    )
    url = "/api/v1/customers/cust-of-north"

    async def created() -> bool:
        return (await service.client.get(url, headers=service.admin)).status_code == 200

    await wait_until(created, timeout=15, what="customer from the lead")
    assert (await service.client.get(url, headers=service.admin)).json()["team"] == "north"
    manager = service.auth(Role.SALES_MANAGER, subject="manager-1", team="north")
    assert (await service.client.get(url, headers=manager)).status_code == 200
    other = service.auth(Role.SALES_MANAGER, subject="manager-2", team="south")
    assert (await service.client.get(url, headers=other)).status_code == 404


async def test_recorded_interaction_status_can_change_but_foreign_facts_cannot(
    service: Service,
) -> None:
    customer_id = await _customer(service)
    recorded = await service.client.post(
        f"/api/v1/customers/{customer_id}/interactions",
        json={"channel": "email", "occurred_at": datetime.now(UTC).isoformat(), "summary": "Quote"},
        headers=service.admin,
    )
    interaction = recorded.json()
    assert interaction["status"] == "pending"
    changed = await service.client.patch(
        f"/api/v1/customers/{customer_id}/interactions/{interaction['id']}",
        json={"status": "replied"},
        headers=service.admin,
    )
    assert changed.json()["status"] == "replied"
    event_id = await service.bus.publish(
        support.SurveyAnswered(
            survey_id="s9", customer_id=customer_id, score=4, answered_at=datetime.now(UTC)
        )
    )

    async def survey_in() -> bool:
        response = await service.client.get(
            f"/api/v1/customers/{customer_id}/timeline", headers=service.admin
        )
        return len(response.json()["items"]) == 2

    await wait_until(survey_in, timeout=15, what="survey on the timeline")
    refused = await service.client.patch(
        f"/api/v1/customers/{customer_id}/interactions/{event_id}",
        json={"status": "replied"},
        headers=service.admin,
    )
    assert refused.status_code == 404
