"""Platform foundation: customer.created feeds GET /reports/customer-count, exactly once."""

from __future__ import annotations

import pytest

from analytics.domain.facts import FactKind
from analytics.store.collections import facts_collection
from crm_chassis.testing import wait_until
from crm_contracts.access import Role

from ..factories import T0, customer_created, envelope, new_id, payment_received
from .conftest import Service

pytestmark = pytest.mark.integration


async def test_customer_count_counts_each_created_customer_once(service: Service) -> None:
    ids = [new_id("c") for _ in range(5)]
    events = await service.publish(*(customer_created(i) for i in ids))
    # the same events redelivered, and a second event about an already known customer
    await service.publish(*events[:3], customer_created(ids[0]))
    await service.settled(archived=6)
    assert await service.get("/api/v1/reports/customer-count") == {"total": 5}


async def test_an_event_redelivered_after_it_was_processed_is_archived_once(
    service: Service,
) -> None:
    event = envelope(customer_created(new_id("c")))
    await service.publish(event, event, event)
    await service.settled(archived=1)
    assert await service.parts.store.count_archived() == 1
    assert await service.get("/api/v1/reports/customer-count") == {"total": 1}


async def test_reports_need_a_token_with_reports_read(service: Service) -> None:
    path = "/api/v1/reports/customer-count"
    assert (await service.client.get(path)).status_code == 401
    rep = service.auth(Role.SALES_REP)
    forbidden = await service.client.get(path, headers=rep)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == "application/problem+json"


async def test_the_stored_dashboard_follows_newly_ingested_events(service: Service) -> None:
    await service.publish(customer_created(new_id("c")))
    await service.settled(archived=1)
    first = await service.get("/api/v1/dashboards/main", period="2026-11")
    assert first["customers"] == 1
    assert await service.get("/api/v1/dashboards/main", period="2026-11") == first
    await service.publish(customer_created(new_id("c")))
    await service.settled(archived=2)

    async def refreshed() -> bool:
        board = await service.get("/api/v1/dashboards/main", period="2026-11")
        return bool(board["customers"] == 2)

    await wait_until(refreshed, timeout=15, what="dashboard with the new customer")


async def test_a_fact_stored_with_the_former_rev_counter_is_adopted_and_folds_again(
    service: Service,
) -> None:
    customer_id = new_id("c")
    await service.publish(customer_created(customer_id))
    await service.settled(archived=1)
    facts = service.parts.store.db[facts_collection(FactKind.CUSTOMER)]
    # As stored before the chassis store: the revision in ``rev``, no ``version``.
    await facts.update_one({"_id": customer_id}, {"$rename": {"version": "rev"}})

    assert await service.parts.store.adopt_revisions() == 1
    await service.publish(payment_received(customer_id, "250.00", at=T0))
    await service.settled(archived=2)

    stored = await facts.find_one({"_id": customer_id})
    assert stored is not None
    assert "rev" not in stored
    assert stored["version"] == 2
    value = await service.get(f"/api/v1/reports/customer-value/{customer_id}")
    assert value["monetary"] == "250.00"
