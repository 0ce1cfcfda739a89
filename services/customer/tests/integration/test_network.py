"""The relationship network over HTTP (C-7)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from customer.operations import network as network_operations

from .conftest import Service
from .factories import customer_body

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


async def test_relating_to_an_invisible_customer_answers_as_for_an_unknown_one(
    service: Service,
) -> None:
    rep = service.auth(Role.SALES_REP, subject="rep-relations-1", team="north")
    other = service.auth(Role.SALES_REP, subject="rep-relations-2", team="south")
    mine = await service.client.post(
        "/api/v1/customers", json=customer_body(company=None), headers=rep
    )
    theirs = await service.client.post(
        "/api/v1/customers", json=customer_body(company=None), headers=other
    )
    assert mine.status_code == theirs.status_code == 201

    async def relate(target_id: str) -> httpx.Response:
        return await service.client.post(
            "/api/v1/customer-relations",
            json={"source_id": mine.json()["id"], "target_id": target_id, "kind": "referral"},
            headers=rep,
        )

    invisible = await relate(theirs.json()["id"])
    unknown = await relate("no-such-customer")
    assert (invisible.status_code, unknown.status_code) == (404, 404)
    assert invisible.json()["detail"] == f"No customer {theirs.json()['id']}."
    assert unknown.json()["detail"] == "No customer no-such-customer."
    around = await service.client.get(
        f"/api/v1/customer-network/customers/{theirs.json()['id']}", headers=service.admin
    )
    assert around.json()["edges"] == []  # nothing was written


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
