# ruff: noqa: RUF001  (the Chinese labels use full-width punctuation)
"""Quotes, orders, invoices and payments in the console, compared with the sales API.

A rep opens a quote: its lines, discounts and totals are the API's. The rep writes a
new revision (the drawer works out the totals as they type, and they are what the API
then stores), sees the revision history, downloads an earlier revision's PDF, marks the
quote sent and notes the negotiation. On an order the rep confirms it, issues an
invoice and records a payment against it; a payment over the open balance is refused
beside its field. An analyst reads the same pages but is offered no change, and the
API refuses one when forced. "Overdue invoices only" narrows the invoices to the one past
its due day, which says how many days overdue on the list, its order and its own page.
The pages fit a phone.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from crm_e2e.harness import Platform, login

from .browser import DESK, PHONE, axe_violations, fits_the_phone, screenshot
from .clock import local_today
from .conftest import NewPerson, Person, SignIn

pytestmark = pytest.mark.e2e


def yuan(amount: str | Decimal) -> str:
    return f"¥{Decimal(amount):,.2f}"


async def _api(platform: Platform, person: Person) -> httpx.AsyncClient:
    return platform.client(await login(platform, person.email, person.password))


def _body(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _customer(api: httpx.AsyncClient, name: str) -> dict[str, Any]:
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    return _body(await api.post("/api/v1/customers", json={"name": name, "phone": phone}), 201)


async def _create_for_customer(api: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    """Creates a sales document for a customer just created: the sales service learns
    of the customer from its event, so until then it answers 422 on customer_id."""
    deadline = time.monotonic() + 15
    while True:
        response = await api.post(path, json=body)
        unknown = response.status_code == 422 and any(
            error["field"] == "body.customer_id" for error in response.json().get("errors", [])
        )
        if not unknown or time.monotonic() > deadline:
            return _body(response, 201)
        await asyncio.sleep(0.2)


async def _no_serious_axe_violation(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], violations


async def _names_the_customer(page: Page, number: str, customer: dict[str, Any]) -> None:
    """The list's row of document ``number`` shows its customer's name as a link to the
    customer, and nowhere the customer's id."""
    row = page.locator(".ant-table-tbody tr.ant-table-row").filter(has_text=number)
    await expect(row.get_by_role("link", name=customer["name"])).to_have_attribute(
        "href", f"/customers/{customer['id']}"
    )
    await expect(row).not_to_contain_text(customer["id"])


def _totals_of(card: Locator) -> Locator:
    return card.locator(".ant-descriptions").first


async def test_a_rep_revises_a_quote_downloads_its_pdf_and_sends_it(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    rep = await new_person("sales_rep", name=f"报价代表{suffix}")
    async with await _api(console_platform, rep) as api:
        customer = await _customer(api, f"华南电子 {suffix}")
        quote = await _create_for_customer(
            api,
            "/api/v1/quotes",
            {
                "customer_id": customer["id"],
                "terms": {
                    "lines": [
                        {
                            "product": "排产系统",
                            "quantity": "3",
                            "unit_price": "1200.00",
                            "discount_percent": "5",
                        },
                        {
                            "product": "实施服务",
                            "description": "现场部署",
                            "quantity": "1",
                            "unit_price": "8000.00",
                        },
                    ],
                    "discount_percent": "10",
                    "tax_rate_percent": "13",
                    "valid_until": "2027-01-31",
                },
            },
        )
    first = quote["revisions"][0]
    await sign_in(page, rep)

    # From the list to the quote: the lines and totals the API priced. The list names the
    # customer (a link to its page), not its id.
    await page.goto("/sales/quotes")
    await _names_the_customer(page, quote["quote_number"], customer)
    await page.get_by_role("link", name=quote["quote_number"]).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"报价 {quote['quote_number']}")
    await expect(page.get_by_role("link", name=customer["name"])).to_be_visible()
    await expect(page.get_by_text(f"报价代表{suffix}").first).to_be_visible()
    revision = page.get_by_role("region", name="第 1 版")
    lines = revision.locator(".ant-table-tbody tr.ant-table-row")
    await expect(lines).to_have_count(2)
    await expect(lines.nth(0)).to_contain_text("排产系统")
    await expect(lines.nth(0)).to_contain_text(yuan("3420.00"))  # 3 x 1,200 less 5 %
    await expect(lines.nth(1)).to_contain_text("现场部署")
    totals = _totals_of(revision)
    for key in ("subtotal", "discount", "taxable", "tax", "total"):
        await expect(totals).to_contain_text(yuan(first["totals"][key]))
    await expect(totals).to_contain_text("整单折扣（10%）")
    await _no_serious_axe_violation(page)

    # A new revision: one more unit, one more line, a smaller discount.
    await page.get_by_role("button", name="新建版本").click()
    drawer = page.get_by_role("dialog", name=f"为报价 {quote['quote_number']} 新建版本")
    await drawer.get_by_role("group", name="第 1 行").get_by_label("数量").fill("4")
    await drawer.get_by_role("button", name="添加一行").click()
    third = drawer.get_by_role("group", name="第 3 行")
    await third.get_by_label("产品").fill("培训")
    await third.get_by_label("数量").fill("2")
    await third.get_by_label("单价").fill("500")
    await drawer.get_by_label("整单折扣").fill("8")
    # 4 x 1,200 x 95 % + 8,000 + 1,000 = 13,560; less 8 % = 12,475.20; 13 % tax.
    preview = drawer.get_by_role("region", name="新版本合计")
    await expect(preview).to_contain_text(yuan("14096.98"))
    await _no_serious_axe_violation(page)
    await drawer.get_by_role("button", name="保存新版本").click()
    await expect(drawer).to_be_hidden()
    await expect(page.get_by_text("已保存第 2 版。")).to_be_visible()

    async with await _api(console_platform, rep) as api:
        revised = _body(await api.get(f"/api/v1/quotes/{quote['quote_id']}"))
    assert revised["current_revision"] == 2
    second = revised["revisions"][1]
    assert second["totals"]["total"] == "14096.98"
    assert [line["product"] for line in second["lines"]] == ["排产系统", "实施服务", "培训"]
    assert Decimal(second["discount_percent"]) == Decimal("8")
    revision = page.get_by_role("region", name="第 2 版")
    await expect(revision.locator(".ant-table-tbody tr.ant-table-row")).to_have_count(3)
    await expect(_totals_of(revision)).to_contain_text(yuan(second["totals"]["total"]))

    # The history holds both revisions; the first can still be printed.
    history = page.get_by_role("region", name="版本历史")
    rows = history.locator(".ant-table-tbody tr.ant-table-row")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_contain_text(yuan(second["totals"]["total"]))
    await expect(rows.nth(1)).to_contain_text(yuan(first["totals"]["total"]))
    await rows.nth(1).get_by_role("button", name="第 1 版").click()
    await expect(page.get_by_role("region", name="第 1 版")).to_be_visible()
    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="下载第 1 版 PDF").click()
    download = await downloading.value
    assert download.suggested_filename == f"{quote['quote_number']}-r1.pdf"
    pdf = await asyncio.to_thread(Path(await download.path()).read_bytes)
    assert pdf.startswith(b"%PDF")

    # Sent, and a note of the negotiation.
    await page.get_by_role("button", name="更改状态").click()
    await page.get_by_role("menuitem", name="标记为已发送").click()
    await expect(page.get_by_text("报价状态已改为已发送。")).to_be_visible()
    await page.get_by_label("新的谈判记录").fill("客户希望月底前签约")
    await page.get_by_role("button", name="添加记录").click()
    notes = page.get_by_role("region", name="谈判记录")
    await expect(notes).to_contain_text("客户希望月底前签约")
    await expect(notes).to_contain_text(f"报价代表{suffix}")
    async with await _api(console_platform, rep) as api:
        sent = _body(await api.get(f"/api/v1/quotes/{quote['quote_id']}"))
    assert sent["status"] == "sent"
    assert [note["text"] for note in sent["notes"]] == ["客户希望月底前签约"]
    await _no_serious_axe_violation(page)
    await screenshot(page, "sales-quote")

    # An analyst reads it in English, with the owner's name, and may change nothing.
    analyst = await new_person("analyst")
    await page.context.clear_cookies()
    await sign_in(page, analyst)
    await page.get_by_text("EN", exact=True).click()
    await expect(page.get_by_role("navigation").get_by_text("Home", exact=True)).to_be_visible()
    await page.goto(f"/sales/quotes/{quote['quote_id']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Quote {quote['quote_number']}"
    )
    await expect(page.get_by_text(f"报价代表{suffix}").first).to_be_visible()
    await expect(page.get_by_role("button", name="Download revision 2 as PDF")).to_be_visible()
    await expect(page.get_by_role("button", name="New revision")).to_have_count(0)
    await expect(page.get_by_role("button", name="Change status")).to_have_count(0)
    await expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    async with await _api(console_platform, analyst) as api:
        revision_forced = await api.post(
            f"/api/v1/quotes/{quote['quote_id']}/revisions",
            json={"lines": [{"product": "x", "quantity": "1", "unit_price": "1.00"}]},
        )
        status_forced = await api.put(
            f"/api/v1/quotes/{quote['quote_id']}/status", json={"status": "accepted"}
        )
    assert (revision_forced.status_code, status_forced.status_code) == (403, 403)

    await page.set_viewport_size(PHONE)
    await page.reload()
    await expect(page.get_by_role("region", name="Revision 2")).to_be_visible()
    await fits_the_phone(page)


async def test_a_rep_confirms_an_order_invoices_it_and_records_a_payment(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    rep = await new_person("sales_rep", name=f"订单代表{suffix}")
    async with await _api(console_platform, rep) as api:
        customer = await _customer(api, f"西北重工 {suffix}")
        order = await _create_for_customer(
            api,
            "/api/v1/orders",
            {
                "customer_id": customer["id"],
                "lines": [
                    {"product": "数控机床", "quantity": "2", "unit_price": "1500.00"},
                    {"product": "保养合同", "quantity": "1", "unit_price": "300.00"},
                ],
                "tax_rate_percent": "13",
            },
        )
    assert order["totals"]["total"] == "3729.00"
    await sign_in(page, rep)

    await page.goto("/sales/orders")
    await _names_the_customer(page, order["order_number"], customer)
    await page.get_by_role("link", name=order["order_number"]).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"订单 {order['order_number']}")
    await expect(page.get_by_role("link", name=customer["name"])).to_have_attribute(
        "href", f"/customers/{customer['id']}"
    )
    lines = page.get_by_role("region", name="明细")
    await expect(lines.locator(".ant-table-tbody tr.ant-table-row")).to_have_count(2)
    await expect(lines).to_contain_text(yuan("3000.00"))
    await expect(lines).to_contain_text(yuan(order["totals"]["tax"]))
    await expect(lines).to_contain_text(yuan(order["totals"]["total"]))
    await _no_serious_axe_violation(page)

    await page.get_by_role("button", name="更改状态").click()
    await page.get_by_role("menuitem", name="确认订单").click()
    await expect(page.get_by_text("订单状态已改为已确认。")).to_be_visible()
    history = page.get_by_role("region", name="状态历史")
    await expect(history).to_contain_text("已确认")
    await expect(history).to_contain_text(f"订单代表{suffix}")

    await page.get_by_role("button", name="开具发票").click()
    dialog = page.get_by_role("dialog", name=f"为订单 {order['order_number']} 开具发票")
    await expect(dialog).to_contain_text(f"尚未开票：{yuan('3729.00')}")
    await dialog.get_by_label("金额").fill("1000")
    await dialog.get_by_role("button", name="开具发票").click()
    await expect(dialog).to_be_hidden()
    async with await _api(console_platform, rep) as api:
        stored = _body(await api.get(f"/api/v1/orders/{order['order_id']}"))
    assert stored["status"] == "confirmed"
    [invoice] = stored["invoices"]
    assert (Decimal(invoice["amount"]), invoice["status"]) == (Decimal(1000), "open")
    invoices = page.get_by_role("region", name="发票", exact=True)
    await invoices.get_by_role("link", name=invoice["invoice_number"]).click()

    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"发票 {invoice['invoice_number']}"
    )
    await page.get_by_role("button", name="登记收款").click()
    dialog = page.get_by_role("dialog", name=f"登记发票 {invoice['invoice_number']} 的收款")
    await dialog.get_by_label("金额").fill("400")
    await dialog.get_by_label("方式").click()
    await page.locator(".ant-select-dropdown:visible").get_by_title("支付宝").click()
    await dialog.get_by_label("参考号").fill(f"ALI-{suffix}")
    await dialog.get_by_role("button", name="登记收款").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_text(f"已登记收款 {yuan('400.00')}。")).to_be_visible()
    async with await _api(console_platform, rep) as api:
        paid = _body(await api.get(f"/api/v1/invoices/{invoice['invoice_id']}"))
    assert (Decimal(paid["paid"]), Decimal(paid["balance"])) == (Decimal(400), Decimal(600))
    assert [(Decimal(p["amount"]), p["method"], p["reference"]) for p in paid["payments"]] == [
        (Decimal(400), "alipay", f"ALI-{suffix}")
    ]
    payments = page.get_by_role("region", name="收款", exact=True)
    await expect(payments).to_contain_text("支付宝")
    await expect(payments).to_contain_text(f"ALI-{suffix}")
    await expect(page.get_by_text(yuan("600.00")).first).to_be_visible()

    # More than the open balance: refused, and said beside the amount.
    await page.get_by_role("button", name="登记收款").click()
    dialog = page.get_by_role("dialog", name=f"登记发票 {invoice['invoice_number']} 的收款")
    await dialog.get_by_label("金额").fill("700")
    await dialog.get_by_role("button", name="登记收款").click()
    amount = dialog.locator(".ant-form-item").filter(has=page.get_by_label("金额", exact=True))
    await expect(amount.locator(".ant-form-item-explain-error")).to_contain_text("600.00")
    await _no_serious_axe_violation(page)
    await dialog.get_by_role("button", name="取消").click()
    async with await _api(console_platform, rep) as api:
        unchanged = _body(await api.get(f"/api/v1/invoices/{invoice['invoice_id']}"))
    assert Decimal(unchanged["balance"]) == Decimal(600)
    await screenshot(page, "sales-invoice")

    # An analyst on a phone: the same invoice, no payment offered, none accepted.
    analyst = await new_person("analyst")
    await page.context.clear_cookies()
    await page.set_viewport_size(PHONE)
    await sign_in(page, analyst)
    await page.goto(f"/sales/invoices/{invoice['invoice_id']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"发票 {invoice['invoice_number']}"
    )
    await expect(page.get_by_role("region", name="收款", exact=True)).to_contain_text(
        f"ALI-{suffix}"
    )
    await expect(page.get_by_role("button", name="登记收款")).to_have_count(0)
    await fits_the_phone(page)
    await page.goto(f"/sales/orders/{order['order_id']}")
    await expect(page.get_by_text(f"订单代表{suffix}").first).to_be_visible()
    await expect(page.get_by_role("button", name="开具发票")).to_have_count(0)
    await expect(page.get_by_role("button", name="更改状态")).to_have_count(0)
    await fits_the_phone(page)
    async with await _api(console_platform, analyst) as api:
        forced = await api.post(
            "/api/v1/payments", json={"invoice_id": invoice["invoice_id"], "amount": "1.00"}
        )
    assert forced.status_code == 403


async def test_overdue_only_narrows_the_invoices_to_the_overdue_one(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    rep = await new_person("sales_rep")
    today = datetime.now(UTC).date()
    async with await _api(console_platform, rep) as api:
        customer = await _customer(api, f"东北农机 {suffix}")
        order = await _create_for_customer(
            api,
            "/api/v1/orders",
            {
                "customer_id": customer["id"],
                "lines": [{"product": "播种机", "quantity": "1", "unit_price": "1000.00"}],
            },
        )
        late = _body(
            await api.post(
                "/api/v1/invoices",
                json={
                    "order_id": order["order_id"],
                    "amount": "400.00",
                    "due_date": (today - timedelta(days=6)).isoformat(),
                },
            ),
            201,
        )
        later = _body(
            await api.post(
                "/api/v1/invoices",
                json={
                    "order_id": order["order_id"],
                    "due_date": (today + timedelta(days=30)).isoformat(),
                },
            ),
            201,
        )
        overdue = _body(await api.get("/api/v1/invoices", params={"overdue": "true"}))
    assert (late["status"], later["status"]) == ("overdue", "open")
    assert [item["invoice_id"] for item in overdue["items"]] == [late["invoice_id"]]

    await sign_in(page, rep)

    def days() -> str:
        """Days overdue counted from the reader's own today (the browser's zone), reckoned
        just after the page that shows them was opened, as the page reckons it."""
        return f"逾期 {(local_today() - date.fromisoformat(late['due_date'])).days} 天"

    await page.goto("/sales/orders")
    await page.get_by_role("tab", name="发票").click()
    rows = page.get_by_role("tabpanel", name="发票").locator(".ant-table-tbody tr.ant-table-row")
    await expect(rows).to_have_count(2)
    marked = rows.filter(has_text=late["invoice_number"]).locator("[data-overdue='true']")
    await expect(marked).to_contain_text(days())
    await expect(marked.locator("[role='img']")).to_have_count(1)
    not_due = rows.filter(has_text=later["invoice_number"])
    await expect(not_due.locator("[data-overdue]")).to_have_count(0)

    only = page.get_by_role("checkbox", name="只看逾期发票")
    await only.click()
    await expect(only).to_be_checked()
    await expect(page).to_have_url(re.compile(r"[?&]overdue=1"))
    await expect(page).to_have_url(re.compile(r"[?&]tab=invoices"))
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(late["invoice_number"])
    await _no_serious_axe_violation(page)
    await page.reload()
    await expect(only).to_be_checked()
    await expect(rows).to_have_count(1)

    # The order and the invoice say it too.
    await rows.first.get_by_role("link", name=order["order_number"]).click()
    invoices = page.get_by_role("region", name="发票", exact=True)
    await expect(
        invoices.locator("tr").filter(has_text=late["invoice_number"]).locator("[data-overdue]")
    ).to_contain_text(days())
    await invoices.get_by_role("link", name=late["invoice_number"]).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"发票 {late['invoice_number']}"
    )
    await expect(page.locator(".ant-descriptions [data-overdue='true']")).to_contain_text(days())
    await _no_serious_axe_violation(page)
    await page.set_viewport_size(PHONE)
    await fits_the_phone(page)
    await page.goto("/sales/orders?tab=invoices&overdue=1")
    await expect(rows).to_have_count(1)
    await fits_the_phone(page)


async def test_a_rep_quotes_a_deal_from_its_page_and_turns_the_accepted_quote_into_an_order(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    template_name = f"标准实施 {suffix}"
    async with console_platform.admin() as admin:
        _body(
            await admin.put(
                f"/api/v1/quotes/templates/standard-{suffix}",
                json={
                    "name": template_name,
                    "terms": {
                        "lines": [{"product": "标准实施", "quantity": "1", "unit_price": "10000"}],
                        "tax_rate_percent": "13",
                        "terms_text": "30 天内付款",
                    },
                },
            )
        )
    rep = await new_person("sales_rep", name=f"报价销售{suffix}")
    async with await _api(console_platform, rep) as api:
        customer = await _customer(api, f"江南纺织 {suffix}")
        deal = await _create_for_customer(
            api,
            "/api/v1/opportunities",
            {"name": f"纺织 MES {suffix}", "customer_id": customer["id"], "amount": "20000.00"},
        )
        prediction = _body(await api.get(f"/api/v1/win-model/predictions/{deal['opportunity_id']}"))
    await sign_in(page, rep)

    # The deal page shows the predicted chance as the percent it is (the API's fraction).
    await page.goto(f"/sales/opportunities/{deal['opportunity_id']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(deal["name"])
    chance = (Decimal(prediction["probability"]) * 100).quantize(Decimal("0.1")).normalize()
    await expect(page.get_by_text(f"赢单概率：{chance:f}%")).to_be_visible()

    # A new quote from the deal: its customer and the deal are the deal's; the terms come
    # from a template and are changed; a blank product is refused beside its field.
    await page.get_by_role("button", name="新建报价").click()
    drawer = page.get_by_role("dialog", name=f"为商机 {deal['name']} 新建报价")
    await expect(drawer.get_by_label("客户")).to_have_value(customer["name"])
    await expect(drawer.get_by_label("商机")).to_have_value(deal["name"])
    await drawer.get_by_label("报价模板").click()
    await page.locator(".ant-select-dropdown:visible").get_by_title(template_name).click()
    first = drawer.get_by_role("group", name="第 1 行")
    await expect(first.get_by_label("产品")).to_have_value("标准实施")
    await expect(drawer.get_by_label("税率")).to_have_value("13.00")
    await first.get_by_label("数量").fill("2")
    await drawer.get_by_role("button", name="添加一行").click()
    second = drawer.get_by_role("group", name="第 2 行")
    await second.get_by_label("产品").fill("   ")
    await second.get_by_label("单价").fill("500")
    # 2 x 10,000 + 500 = 20,500; 13 % tax.
    await expect(drawer.get_by_role("region", name="报价合计")).to_contain_text(yuan("23165.00"))
    await _no_serious_axe_violation(page)
    await drawer.get_by_role("button", name="创建报价").click()
    product = second.locator(".ant-form-item").filter(has=page.get_by_label("产品", exact=True))
    await expect(product.locator(".ant-form-item-explain-error")).to_have_count(1)
    await expect(drawer).to_be_visible()
    await second.get_by_label("产品").fill("培训")
    await drawer.get_by_role("button", name="创建报价").click()

    await expect(page).to_have_url(re.compile(r"/sales/quotes/[^/]+$"))
    quote_id = page.url.rsplit("/", 1)[1]
    async with await _api(console_platform, rep) as api:
        quote = _body(await api.get(f"/api/v1/quotes/{quote_id}"))
        deal_quotes = _body(
            await api.get("/api/v1/quotes", params={"opportunity_id": deal["opportunity_id"]})
        )
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"报价 {quote['quote_number']}")
    assert (quote["opportunity_id"], quote["customer_id"], quote["status"]) == (
        deal["opportunity_id"],
        customer["id"],
        "draft",
    )
    [revision] = quote["revisions"]
    assert [(line["product"], Decimal(line["quantity"])) for line in revision["lines"]] == [
        ("标准实施", Decimal(2)),
        ("培训", Decimal(1)),
    ]
    assert (revision["totals"]["total"], revision["terms_text"]) == ("23165.00", "30 天内付款")
    assert [item["quote_id"] for item in deal_quotes["items"]] == [quote_id]

    # Sent and accepted; the accepted quote, and only it, offers the order.
    await expect(page.get_by_role("button", name="生成订单")).to_have_count(0)
    for move, status in (("标记为已发送", "已发送"), ("标记为已接受", "已接受")):
        await page.get_by_role("button", name="更改状态").click()
        await page.get_by_role("menuitem", name=move).click()
        await expect(page.get_by_text(f"报价状态已改为{status}。")).to_be_visible()
    await page.get_by_role("button", name="生成订单").click()
    dialog = page.get_by_role("dialog", name=f"由报价 {quote['quote_number']} 生成订单")
    await expect(dialog.get_by_label("报价")).to_have_value(quote["quote_number"])
    await expect(dialog.get_by_label("客户")).to_have_value(customer["name"])
    await expect(dialog.get_by_label("商机")).to_have_value(deal["name"])
    await expect(dialog).to_contain_text(yuan("23165.00"))
    await _no_serious_axe_violation(page)
    await dialog.get_by_role("button", name="生成订单").click()

    await expect(page).to_have_url(re.compile(r"/sales/orders/[^/]+$"))
    order_id = page.url.rsplit("/", 1)[1]
    async with await _api(console_platform, rep) as api:
        order = _body(await api.get(f"/api/v1/orders/{order_id}"))
        accepted = _body(await api.get(f"/api/v1/quotes/{quote_id}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"订单 {order['order_number']}")
    assert accepted["status"] == "accepted"
    assert (order["quote_id"], order["opportunity_id"], order["customer_id"]) == (
        quote_id,
        deal["opportunity_id"],
        customer["id"],
    )
    assert order["status"] == "placed"
    assert [(line["product"], Decimal(line["quantity"])) for line in order["lines"]] == [
        ("标准实施", Decimal(2)),
        ("培训", Decimal(1)),
    ]
    assert order["totals"] == revision["totals"]
    await _no_serious_axe_violation(page)

    # The deal lists its quote, accepted.
    await page.goto(f"/sales/opportunities/{deal['opportunity_id']}")
    quotes = page.get_by_role("region", name="报价", exact=True)
    await expect(quotes.get_by_role("link", name=quote["quote_number"])).to_be_visible()
    await expect(quotes).to_contain_text("已接受")

    # On a phone the quote list and the quote's lines are cards, not squeezed tables.
    await page.set_viewport_size(PHONE)
    await page.goto("/sales/quotes")
    cards = page.get_by_role("list", name="报价", exact=True)
    await expect(cards.get_by_role("link", name=quote["quote_number"])).to_be_visible()
    await expect(page.locator(".ant-table")).to_have_count(0)
    await fits_the_phone(page)
    await cards.get_by_role("link", name=quote["quote_number"]).click()
    lines = page.get_by_role("list", name="明细")
    await expect(lines.get_by_role("listitem")).to_have_count(2)
    await expect(lines.get_by_role("listitem").nth(0)).to_contain_text("标准实施")
    await expect(page.locator(".ant-table")).to_have_count(0)
    await fits_the_phone(page)
    await _no_serious_axe_violation(page)

    # An analyst is offered neither a new quote nor an order.
    analyst = await new_person("analyst")
    await page.context.clear_cookies()
    await page.set_viewport_size(DESK)
    await sign_in(page, analyst)
    await page.goto(f"/sales/quotes/{quote_id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"报价 {quote['quote_number']}")
    await expect(page.get_by_role("button", name="生成订单")).to_have_count(0)
    await page.goto("/sales/quotes")
    await expect(page.get_by_role("link", name=quote["quote_number"])).to_be_visible()
    await expect(page.get_by_role("button", name="新建报价")).to_have_count(0)


async def test_a_rep_drafts_a_quote_from_the_quote_list_for_a_deal_they_choose(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    rep = await new_person("sales_rep")
    async with await _api(console_platform, rep) as api:
        customer = await _customer(api, f"岭南家电 {suffix}")
        deal = await _create_for_customer(
            api,
            "/api/v1/opportunities",
            {"name": f"家电 ERP {suffix}", "customer_id": customer["id"], "amount": "5000.00"},
        )
    await sign_in(page, rep)

    await page.goto("/sales/quotes")
    await page.get_by_role("button", name="新建报价").click()
    drawer = page.get_by_role("dialog", name="新建报价")
    await drawer.get_by_role("button", name="创建报价").click()
    deal_field = drawer.locator(".ant-form-item").filter(has=page.get_by_label("商机", exact=True))
    await expect(deal_field.locator(".ant-form-item-explain-error")).to_have_count(1)
    await drawer.get_by_label("商机").click()
    await (
        page.locator(".ant-select-dropdown:visible")
        .get_by_title(f"{deal['name']} · {customer['name']}")
        .click()
    )
    await expect(drawer.get_by_label("客户")).to_have_value(customer["name"])
    line = drawer.get_by_role("group", name="第 1 行")
    await line.get_by_label("产品").fill("家电 ERP")
    await line.get_by_label("单价").fill("5000")
    await _no_serious_axe_violation(page)
    await drawer.get_by_role("button", name="创建报价").click()

    await expect(page).to_have_url(re.compile(r"/sales/quotes/[^/]+$"))
    async with await _api(console_platform, rep) as api:
        quote = _body(await api.get(f"/api/v1/quotes/{page.url.rsplit('/', 1)[1]}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"报价 {quote['quote_number']}")
    assert (quote["opportunity_id"], quote["customer_id"], quote["currency"]) == (
        deal["opportunity_id"],
        customer["id"],
        deal["currency"],
    )
    assert quote["revisions"][0]["totals"]["total"] == "5000.00"
