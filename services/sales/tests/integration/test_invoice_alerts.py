"""Invoices and alerts (issue #17): an issued invoice is published with what the customer
owes, by when and whose order it is; an overdue one names the team; lists filter on being
overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from crm_contracts.access import Role
from crm_contracts.events import sales
from sales.components import components
from sales.operations.orders import remind_overdue

pytestmark = pytest.mark.integration


def ids(response: httpx.Response, key: str) -> set[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {item[key] for item in body["items"]}


async def test_issuing_an_invoice_publishes_what_the_customer_owes_and_to_whom(
    client: httpx.AsyncClient,
    as_role: Callable[..., dict[str, str]],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    admin = as_role(Role.ADMIN, subject="admin-1", team="north-china")
    order = await client.post(
        "/api/v1/orders",
        json={
            "customer_id": "cust-9",
            "currency": "USD",
            "lines": [{"product": "Seat", "quantity": "2", "unit_price": "50.00"}],
        },
        headers=admin,
    )
    assert order.status_code == 201, order.text
    too_much = await client.post(
        "/api/v1/invoices",
        json={"order_id": order.json()["order_id"], "amount": "100.01", "due_date": "2031-01-31"},
        headers=admin,
    )
    assert too_much.status_code == 422
    issued = await client.post(
        "/api/v1/invoices",
        json={"order_id": order.json()["order_id"], "amount": "40.00", "due_date": "2031-01-31"},
        headers=admin,
    )
    assert issued.status_code == 201, issued.text
    invoice = issued.json()

    await eventually(lambda: recorder.of_type(sales.InvoiceIssued.TYPE), what="invoice.issued")
    [event] = recorder.of_type(sales.InvoiceIssued.TYPE)
    assert event.subject == order.json()["order_id"]
    assert event.data == {
        "invoice_id": invoice["invoice_id"],
        "invoice_number": invoice["invoice_number"],
        "order_id": order.json()["order_id"],
        "order_number": order.json()["order_number"],
        "customer_id": "cust-9",
        "owner_id": "admin-1",
        "team": "north-china",
        "amount": "40.00",
        "currency": "USD",
        "due_date": "2031-01-31",
        "issued_at": event.data["issued_at"],
    }
    issued_at = datetime.fromisoformat(event.data["issued_at"])
    assert abs(issued_at - datetime.fromisoformat(invoice["issued_at"])) < timedelta(seconds=1)


async def test_an_overdue_invoice_names_the_order_s_team(
    app: FastAPI,
    client: httpx.AsyncClient,
    as_role: Callable[..., dict[str, str]],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    admin = as_role(Role.ADMIN, subject="admin-1", team="east")
    order = await client.post(
        "/api/v1/orders",
        json={
            "customer_id": "cust-9",
            "lines": [{"product": "Seat", "quantity": "1", "unit_price": "30.00"}],
        },
        headers=admin,
    )
    issued = await client.post(
        "/api/v1/invoices",
        json={"order_id": order.json()["order_id"], "due_date": "2020-01-31"},
        headers=admin,
    )
    assert issued.status_code == 201, issued.text
    assert await remind_overdue(components(app.state.runtime), datetime.now(UTC)) == 1

    await eventually(lambda: recorder.of_type(sales.InvoiceOverdue.TYPE))
    [overdue] = recorder.of_type(sales.InvoiceOverdue.TYPE)
    assert (overdue.data["owner_id"], overdue.data["team"]) == ("admin-1", "east")


async def test_invoices_filter_on_being_overdue(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    order = await client.post(
        "/api/v1/orders",
        json={
            "customer_id": "c-1",
            "lines": [{"product": "Seat", "quantity": "1", "unit_price": "90.00"}],
        },
        headers=admin,
    )
    assert order.status_code == 201, order.text
    made: dict[str, str] = {}
    for name, due in (("late", "2020-01-31"), ("late-paid", "2020-02-29"), ("open", "2099-01-31")):
        issued = await client.post(
            "/api/v1/invoices",
            json={"order_id": order.json()["order_id"], "amount": "30.00", "due_date": due},
            headers=admin,
        )
        assert issued.status_code == 201, issued.text
        made[name] = issued.json()["invoice_id"]
    paid = await client.post(
        "/api/v1/payments",
        json={"invoice_id": made["late-paid"], "amount": "30.00"},
        headers=admin,
    )
    assert paid.status_code == 201, paid.text

    overdue = await client.get("/api/v1/invoices", params={"overdue": "true"}, headers=admin)
    assert ids(overdue, "invoice_id") == {made["late"]}
    assert [invoice["status"] for invoice in overdue.json()["items"]] == ["overdue"]
    others = await client.get("/api/v1/invoices", params={"overdue": "false"}, headers=admin)
    assert ids(others, "invoice_id") == {made["late-paid"], made["open"]}

    not_boolean = await client.get("/api/v1/invoices", params={"overdue": "2"}, headers=admin)
    assert not_boolean.status_code == 422
    assert [e["field"] for e in not_boolean.json()["errors"]] == ["query.overdue"]


async def test_the_overdue_filter_is_in_the_published_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/invoices"]["get"]["parameters"]}
    assert parameters["overdue"]["schema"]["anyOf"][0]["type"] == "boolean"
    assert parameters["overdue"]["description"]
