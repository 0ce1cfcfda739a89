"""The relationship network over HTTP (C-7)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from customer.operations import network as network_operations

from .factories import customer_body
from .harness import Service

pytestmark = pytest.mark.integration


async def test_key_customers_and_neighbourhood_follow_stated_relations(service: Service) -> None:
    ids = {}
    for name in ("a", "b", "c", "d", "e"):
        response = await service.client.post(
            "/api/v1/customers", json=customer_body(name=name, company=None), headers=service.admin
        )
        ids[name] = response.json()["id"]
    for source, target in [("a", "b"), ("b", "c"), ("c", "d"), ("c", "e")]:
        response = await service.client.post(
            "/api/v1/customer-relations",
            json={"source_id": ids[source], "target_id": ids[target], "kind": "referral"},
            headers=service.admin,
        )
        assert response.status_code == 204, response.text
    ranked = await service.client.get(
        "/api/v1/customer-network/key-customers",
        params={"limit": 2},
        headers=service.auth(Role.ANALYST),
    )
    top = ranked.json()
    assert [item["label"] for item in top] == ["c", "b"]
    assert top[0]["betweenness"] == pytest.approx(5 / 6, abs=1e-6)
    assert top[0]["degree_centrality"] == 0.75
    around = await service.client.get(
        f"/api/v1/customer-network/customers/{ids['b']}", headers=service.admin
    )
    body = around.json()
    assert {node["label"] for node in body["nodes"]} == {"a", "b", "c"}
    assert len(body["edges"]) == 2
    rep = await service.client.get(
        "/api/v1/customer-network/key-customers", headers=service.auth(Role.SALES_REP)
    )
    assert rep.status_code == 403


async def test_healthz_answers_while_key_customers_are_ranked(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Centralities are CPU work; on the event loop they would stall every request.
    ranking, release = threading.Event(), threading.Event()
    rank = network_operations.key_customers

    def slow_ranking(*args: Any) -> Any:
        ranking.set()
        release.wait(timeout=10)  # bounded, so a blocked loop fails the test, not hangs it
        return rank(*args)

    monkeypatch.setattr(network_operations, "key_customers", slow_ranking)
    ranked = asyncio.create_task(
        service.client.get(
            "/api/v1/customer-network/key-customers", headers=service.auth(Role.ANALYST)
        )
    )

    async def ranking_started() -> bool:
        return ranking.is_set()

    await wait_until(ranking_started, timeout=10, what="the ranking")
    health = await service.client.get("/healthz")
    answered_meanwhile = not ranked.done()
    release.set()
    response = await ranked

    assert health.status_code == 200
    assert answered_meanwhile
    assert response.status_code == 200, response.text
