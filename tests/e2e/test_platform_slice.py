"""The first vertical slice: a customer written through the gateway reaches analytics."""

from __future__ import annotations

import json

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform

pytestmark = pytest.mark.e2e


async def customer_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/v1/reports/customer-count")
    response.raise_for_status()
    total: int = response.json()["total"]
    return total


async def test_customer_created_through_gateway_is_counted_by_analytics(
    platform: Platform,
) -> None:
    """That the write arrives; how soon (under a second) is timed by `make bench`'s event
    lag, on a host not also running the suite."""
    async with platform.admin() as client:
        before = await customer_count(client)
        created = await client.post(
            "/api/v1/customers",
            json={"name": "Han Meimei", "phone": "13912345678", "email": "han@example.com"},
        )
        assert created.status_code == 201, created.text
        customer = created.json()

        read = await client.get(f"/api/v1/customers/{customer['id']}")
        assert read.status_code == 200
        assert read.json()["name"] == "Han Meimei"

        async def counted() -> bool:
            return await customer_count(client) == before + 1

        await wait_until(counted, timeout=15, what="analytics customer count")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 42, "email": "x@example.com"}, "body.name"),
        ({"name": "Ann", "email": "not-an-email"}, "body.email"),
        ({"name": "Ann", "phone": "12345"}, "body.phone"),
        ({"name": "Ann", "password": "x"}, "body.password"),
        ({"email": "nobody@example.com"}, "body.name"),
    ],
    ids=["wrong-type", "bad-email", "bad-phone", "unknown-field", "missing-name"],
)
async def test_invalid_customer_is_refused_with_field_path_and_nothing_written(
    platform: Platform, body: dict[str, object], field: str
) -> None:
    async with platform.admin() as client:
        before = (await client.get("/api/v1/customers", params={"limit": 1})).json()["total"]

        response = await client.post("/api/v1/customers", json=body)

        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in {error["field"] for error in response.json()["errors"]}
        after = (await client.get("/api/v1/customers", params={"limit": 1})).json()["total"]
        assert after == before


async def test_malformed_json_is_refused_with_a_problem(platform: Platform) -> None:
    async with platform.admin() as client:
        response = await client.post(
            "/api/v1/customers",
            content=b'{"name": "Ann",',
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_oversize_body_is_refused_with_413(platform: Platform) -> None:
    async with platform.admin() as client:
        response = await client.post(
            "/api/v1/customers",
            content=json.dumps({"name": "x" * 12_000_000}).encode(),
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_one_trace_spans_gateway_customer_publish_and_analytics(
    platform: Platform, span_exporter: InMemorySpanExporter
) -> None:
    async with platform.admin() as client:
        before = await customer_count(client)
        span_exporter.clear()
        response = await client.post("/api/v1/customers", json={"name": "Traced Customer"})
        assert response.status_code == 201
        customer_id = response.json()["id"]

        def consumed_spans() -> list[str]:
            return [
                span.name
                for span in span_exporter.get_finished_spans()
                if span.name.endswith("receive") or span.name.endswith("process")
            ]

        async def consumed() -> bool:
            return await customer_count(client) == before + 1 and bool(consumed_spans())

        await wait_until(consumed, timeout=15, what="analytics consumption span")

    spans = span_exporter.get_finished_spans()
    by_trace: dict[int, list[str]] = {}
    for span in spans:
        by_trace.setdefault(span.context.trace_id, []).append(
            f"{span.resource.attributes.get('service.name', '?')}:{span.name}"
        )
    created_trace = next(
        trace_id
        for trace_id, names in by_trace.items()
        if any("crm.customer.customer.created.v1 publish" in name for name in names)
    )
    names = by_trace[created_trace]
    assert any("POST /api/v1/customers" in name for name in names), names
    assert any("crm.customer.customer.created.v1 publish" in name for name in names), names
    assert any(
        "crm.customer.customer.created.v1" in name and ("receive" in name or "process" in name)
        for name in names
    ), names
    assert customer_id
