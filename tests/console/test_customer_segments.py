"""The customer list filtered by value segment, compared with the customer API.

A rep's customer pays 6,000 through an order and its invoice, which makes them "high
value" (RFM, C-6); a colleague customer of the same company without purchases is not.
The rep filters the list by that segment and sees exactly the customers the API lists
for it; the filter stays in the address.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login

from .browser import axe_violations
from .conftest import NewPerson, SignIn

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def _body(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _customer(api: httpx.AsyncClient, name: str, company: str) -> dict[str, Any]:
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    return _body(
        await api.post(
            "/api/v1/customers", json={"name": name, "phone": phone, "company": company}
        ),
        201,
    )


async def _order_when_known(api: httpx.AsyncClient, body: dict[str, Any]) -> Any:
    """The sales service learns of a new customer from its event: 422 until then."""
    deadline = time.monotonic() + 15
    while True:
        response = await api.post("/api/v1/orders", json=body)
        if response.status_code != 422 or time.monotonic() > deadline:
            return _body(response, 201)
        await asyncio.sleep(0.2)


async def test_a_rep_lists_the_high_value_customers_the_api_lists(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    company = f"价值测试{suffix}"
    rep = await new_person("sales_rep")
    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as api:
        big = await _customer(api, f"大客户{suffix}", company)
        await _customer(api, f"小客户{suffix}", company)
        order = await _order_when_known(
            api,
            {
                "customer_id": big["id"],
                "lines": [{"product": "年度服务", "quantity": "1", "unit_price": "6000.00"}],
            },
        )
        due = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
        invoice = _body(
            await api.post(
                "/api/v1/invoices", json={"order_id": order["order_id"], "due_date": due}
            ),
            201,
        )
        _body(
            await api.post(
                "/api/v1/payments", json={"invoice_id": invoice["invoice_id"], "amount": "6000.00"}
            ),
            201,
        )

        async def high_value() -> bool:
            found = _body(await api.get(f"/api/v1/customers/{big['id']}"))
            return "high value" in found["value"]["segments"]

        await wait_until(high_value, timeout=20, interval=0.3, what="the payment counted")
        listed = _body(
            await api.get("/api/v1/customers", params={"q": company, "segment": "high value"})
        )
    assert [item["id"] for item in listed["items"]] == [big["id"]]

    await sign_in(page, rep)
    await page.goto(f"/customers?q={company}")
    rows = page.locator(".ant-table-tbody tr.ant-table-row")
    await expect(rows).to_have_count(2)
    await page.get_by_role("button", name="筛选").click()
    await page.get_by_label("价值分群").click()
    await page.locator(".ant-select-dropdown:visible").get_by_title("高价值", exact=True).click()
    await page.get_by_role("button", name="应用").click()
    await expect(page).to_have_url(re.compile(r"segment=high\+value"))
    await expect(rows).to_have_count(1)
    await expect(rows.get_by_role("link", name=big["name"])).to_be_visible()
    await expect(rows).to_contain_text("高价值")
    violations = await axe_violations(page)
    assert violations == [], violations

    # The address carries the filter: a reload in English shows the same list.
    await page.get_by_text("EN", exact=True).click()
    await page.reload()
    await expect(rows).to_have_count(1)
    await expect(rows.get_by_role("link", name=big["name"])).to_be_visible()
