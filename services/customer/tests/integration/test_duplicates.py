"""Duplicate detection and merge (C-9)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.events import sales
from customer.domain.customer import Customer
from customer.store.customers import CustomerStore

from .conftest import Service
from .factories import customer_body

pytestmark = pytest.mark.integration


def _payment(customer_id: str, payment_id: str, amount: str) -> sales.PaymentReceived:
    return sales.PaymentReceived(
        payment_id=payment_id, order_id="o-" + payment_id, customer_id=customer_id,
        amount=Decimal(amount), paid_at=datetime.now(UTC),
    )  # fmt: skip


async def _create(service: Service, **fields: Any) -> str:
    response = await service.client.post(
        "/api/v1/customers", json=customer_body(**fields), headers=service.admin
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_same_person_twice_is_found_and_merged_keeping_history(service: Service) -> None:
    keep_id = await _create(
        service, name="Sun Mei", company="Star Co", email=None, phone="13711112222"
    )
    drop_id = await _create(service, name="sun  mei", company="STAR CO", email="sun@star.example")
    await service.client.post(
        f"/api/v1/customers/{drop_id}/interactions",
        json={"channel": "visit", "occurred_at": datetime.now(UTC).isoformat(), "summary": "Visit"},
        headers=service.admin,
    )
    await service.bus.publish(_payment(keep_id, "p1", "700"))
    await service.bus.publish(_payment(drop_id, "p2", "400"))

    async def both_paid() -> bool:
        for customer_id in (keep_id, drop_id):
            response = await service.client.get(
                f"/api/v1/customers/{customer_id}", headers=service.admin
            )
            if response.json()["consumption"]["total_consumption"] == "0.00":
                return False
        return True

    await wait_until(both_paid, timeout=15, what="payments counted")
    groups = (await service.client.get("/api/v1/customer-duplicates", headers=service.admin)).json()
    assert [{c["id"] for c in group["customers"]} for group in groups] == [{keep_id, drop_id}]

    merged = await service.client.post(
        "/api/v1/customer-merges",
        json={"surviving_id": keep_id, "merged_id": drop_id},
        headers=service.admin,
    )
    assert merged.status_code == 200, merged.text
    survivor = merged.json()
    assert survivor["email"] == "sun@star.example"
    assert survivor["phone"] == "13711112222"
    assert survivor["consumption"]["total_consumption"] == "1100.00"
    assert survivor["tier"] == "vip"
    gone = await service.client.get(f"/api/v1/customers/{drop_id}", headers=service.admin)
    assert gone.status_code == 404
    timeline = await service.client.get(
        f"/api/v1/customers/{keep_id}/timeline", headers=service.admin
    )
    assert "visit" in [item["channel"] for item in timeline.json()["items"]]

    async def announced() -> bool:
        return any(
            e["data"] == {**e["data"], "surviving_id": keep_id, "merged_id": drop_id}
            for e in service.bus.of_type("crm.customer.customer.merged.v1")
        )

    await wait_until(announced, timeout=15, what="customer.merged published")
    # A late payment for the merged customer counts for the survivor.
    await service.bus.publish(_payment(drop_id, "p3", "10"))

    async def redirected() -> bool:
        response = await service.client.get(f"/api/v1/customers/{keep_id}", headers=service.admin)
        return bool(response.json()["consumption"]["total_consumption"] == "1110.00")

    await wait_until(redirected, timeout=15, what="late payment redirected")


async def test_a_survivor_changed_during_the_merge_is_folded_again_not_left_half_merged(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merged customer is written first; if the survivor changed meanwhile (an edit,
    a payment), the merge reads it again rather than failing with the other half done."""
    keep_id = await _create(service, name="Lin Tao", company="Blue Co", email=None)
    drop_id = await _create(service, name="Lin Tao", company="Blue Co", email="lin@blue.example")
    save = CustomerStore.save
    edited = False

    async def save_after_an_edit(
        store: CustomerStore, after: Customer, expected_version: int, *args: Any
    ) -> Customer:
        nonlocal edited
        if after.id == keep_id and not edited:
            edited = True  # someone edits the survivor just before the merge writes it
            before = await store.get(keep_id)
            assert before is not None
            await save(store, before.model_copy(update={"tags": ["edited"]}), before.version)
        return await save(store, after, expected_version, *args)

    monkeypatch.setattr(CustomerStore, "save", save_after_an_edit)

    merged = await service.client.post(
        "/api/v1/customer-merges",
        json={"surviving_id": keep_id, "merged_id": drop_id},
        headers=service.admin,
    )

    assert edited
    assert merged.status_code == 200, merged.text
    survivor = (
        await service.client.get(f"/api/v1/customers/{keep_id}", headers=service.admin)
    ).json()
    assert survivor["email"] == "lin@blue.example"
    assert "edited" in survivor["tags"]
    gone = await service.client.get(f"/api/v1/customers/{drop_id}", headers=service.admin)
    assert gone.status_code == 404


async def test_merging_a_customer_into_itself_is_a_422_naming_merged_id(service: Service) -> None:
    """Issue #19's classification: the input breaks a rule (a bad combination), so 422
    naming the field; it was 409 before, as if the customer's state forbade it."""
    customer_id = await _create(service, name="Wu Fang")
    refused = await service.client.post(
        "/api/v1/customer-merges",
        json={"surviving_id": customer_id, "merged_id": customer_id},
        headers=service.admin,
    )
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/validation-error")
    assert [error["field"] for error in refused.json()["errors"]] == ["body.merged_id"]
    kept = await service.client.get(f"/api/v1/customers/{customer_id}", headers=service.admin)
    assert kept.json()["status"] == "active"
    assert kept.json()["version"] == 1
