"""Orders, invoices and payments: exact money, status flow, receivables, events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from bson.decimal128 import Decimal128
from fastapi import FastAPI
from pymongo import AsyncMongoClient

from crm_contracts.events import sales
from sales.components import components
from sales.operations.orders import remind_overdue
from sales.settings import Settings

pytestmark = pytest.mark.integration

MONEY_COLLECTIONS = ("orders", "opportunities", "leads", "quotes")


async def place_order(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/orders",
        json={
            "customer_id": "cust-1",
            "lines": [
                {
                    "product": "CRM seat",
                    "quantity": "3",
                    "unit_price": "19.99",
                    "discount_percent": "10",
                },
                {"product": "Onboarding", "quantity": "1", "unit_price": "0.10"},
            ],
            "discount_percent": "5",
            "tax_rate_percent": "13",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_order_totals_are_exact_decimals_and_numbers_are_sequential(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    first = await place_order(client, admin)
    second = await place_order(client, admin)
    # 3 x 19.99 = 59.97, less 10% = 53.973 -> 53.97; + 0.10 = 54.07
    # less 5% (2.7035 -> 2.70) = 51.37; 13% tax = 6.6781 -> 6.68; total 58.05
    assert first["totals"] == {
        "subtotal": "54.07",
        "discount": "2.70",
        "taxable": "51.37",
        "tax": "6.68",
        "total": "58.05",
    }
    assert first["order_number"].startswith("SO-")
    assert int(second["order_number"][-6:]) == int(first["order_number"][-6:]) + 1


async def test_invoices_and_payments_track_receivables_and_publish_payment_events(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    recorder: Any,
    eventually: Callable[..., Any],
    settings: Settings,
    mongo_url: str,
) -> None:
    order = await place_order(client, admin)
    invoice = await client.post(
        "/api/v1/invoices",
        json={"order_id": order["order_id"], "due_date": "2020-01-31"},
        headers=admin,
    )
    assert invoice.status_code == 201, invoice.text
    invoice_id = invoice.json()["invoice_id"]
    assert invoice.json()["status"] == "overdue"

    too_much = await client.post(
        "/api/v1/payments", json={"invoice_id": invoice_id, "amount": "58.06"}, headers=admin
    )
    assert too_much.status_code == 422
    for amount in ("50.00", "8.05"):
        paid = await client.post(
            "/api/v1/payments", json={"invoice_id": invoice_id, "amount": amount}, headers=admin
        )
        assert paid.status_code == 201, paid.text

    settled = (await client.get(f"/api/v1/invoices/{invoice_id}", headers=admin)).json()
    assert settled["status"] == "paid"
    assert settled["balance"] == "0.00"
    statement = (
        await client.get(
            "/api/v1/invoices/statement", params={"customer_id": "cust-1"}, headers=admin
        )
    ).json()
    assert statement["paid"] == "58.05"

    await eventually(lambda: len(recorder.of_type(sales.PaymentReceived.TYPE)) == 2)
    amounts = sorted(
        Decimal(e.data["amount"]) for e in recorder.of_type(sales.PaymentReceived.TYPE)
    )
    assert amounts == [Decimal("8.05"), Decimal("50.00")]
    placed = recorder.of_type(sales.OrderPlaced.TYPE)
    assert placed[0].data["amount"] == "58.05"

    raw = AsyncMongoClient[dict[str, Any]](mongo_url)  # no Decimal codec: see what is stored
    try:
        db = raw[settings.mongo_db]
        floats = []
        for name in MONEY_COLLECTIONS:
            async for document in db[name].find({}):
                floats += [f"{name}{path}" for path in _float_paths(document)]
        assert floats == [], "money stored as float"
        stored = await db["orders"].find_one({"_id": order["order_id"]})
        assert stored is not None
        assert stored["totals"]["total"] == Decimal128("58.05")
        assert isinstance(stored["invoices"][0]["payments"][0]["amount"], Decimal128)
    finally:
        await raw.close()


def _float_paths(value: Any, path: str = "") -> list[str]:
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _float_paths(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [
            p for index, item in enumerate(value) for p in _float_paths(item, f"{path}[{index}]")
        ]
    return []


async def test_order_status_flow_requires_a_contract_before_shipping(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    order = await place_order(client, admin)
    url = f"/api/v1/orders/{order['order_id']}"

    async def put(path: str, body: dict[str, Any]) -> httpx.Response:
        etag = (await client.get(url, headers=admin)).headers["ETag"]
        return await client.put(f"{url}{path}", json=body, headers={**admin, "If-Match": etag})

    assert (await put("/status", {"status": "shipped"})).status_code == 409
    assert (await put("/status", {"status": "confirmed"})).status_code == 200
    assert (await put("/status", {"status": "shipped"})).status_code == 422
    contract = {"number": "HT-1", "signed_at": "2026-11-20T10:00:00Z"}
    assert (await put("/contract", contract)).status_code == 200
    shipped = await put("/status", {"status": "shipped"})
    assert shipped.status_code == 200
    assert [c["status"] for c in shipped.json()["status_history"]] == [
        "placed",
        "confirmed",
        "shipped",
    ]
    stale = await client.put(
        f"{url}/status", json={"status": "delivered"}, headers={**admin, "If-Match": '"1"'}
    )
    assert stale.status_code == 412


async def test_overdue_invoice_reminder_is_published_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    order = await place_order(client, admin)
    for due in ("2020-01-31", "2099-01-31"):
        issued = await client.post(
            "/api/v1/invoices",
            json={"order_id": order["order_id"], "amount": "10.00", "due_date": due},
            headers=admin,
        )
        assert issued.status_code == 201, issued.text
    store = components(app.state.runtime)
    assert await remind_overdue(store, datetime.now(UTC)) == 1
    assert await remind_overdue(store, datetime.now(UTC)) == 0
    app.state.runtime.notify_outbox()
    await eventually(lambda: recorder.of_type(sales.InvoiceOverdue.TYPE))
    [reminder] = recorder.of_type(sales.InvoiceOverdue.TYPE)
    assert reminder.data["amount_due"] == "10.00"
    receivables = (await client.get("/api/v1/invoices/receivables", headers=admin)).json()
    assert receivables["overdue_totals"] == {"CNY": "10.00"}
    assert receivables["currency_totals"] == {"CNY": "20.00"}
