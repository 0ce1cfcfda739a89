"""The customer screens: a rep creates, finds and works a customer; the 360 shows what
the API holds; roles without the right are not offered the action (and refused)."""

from __future__ import annotations

import asyncio
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login

from .browser import PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, Person, SignIn

pytestmark = pytest.mark.e2e


def unique_phone() -> str:
    return f"139{uuid.uuid4().int % 10**8:08d}"


async def api_as(platform: Platform, person: Person) -> httpx.AsyncClient:
    return platform.client(await login(platform, person.email, person.password))


async def create_customer(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"name": f"客户 {uuid.uuid4().hex[:6]}", "phone": unique_phone(), **fields}
    response = await client.post("/api/v1/customers", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def field_error(page: Page, label: str) -> Any:
    """The error antd shows under the form field with this label."""
    item = page.locator(".ant-form-item").filter(has=page.get_by_label(label, exact=True))
    return item.locator(".ant-form-item-explain-error")


async def test_a_rep_creates_a_customer_with_field_errors_beside_fields_and_finds_it(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    await page.get_by_role("navigation", name="主菜单").get_by_text("客户", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="客户")).to_be_visible()
    await page.get_by_role("button", name="新建客户").click()
    await expect(page.get_by_role("heading", level=1, name="新建客户")).to_be_visible()

    name = f"测试客户 {uuid.uuid4().hex[:6]}"
    await page.get_by_label("姓名", exact=True).fill(name)
    await page.get_by_label("手机号", exact=True).fill("12345")
    await page.get_by_label("公司", exact=True).fill("华东贸易")
    await page.get_by_role("button", name="新建", exact=True).click()
    # The API's problem+json field error, beside the phone field: in Chinese, with the
    # server's own (English) reason second.
    await expect(field_error(page, "手机号")).to_contain_text("此项填写有误")
    await expect(field_error(page, "手机号")).to_contain_text("mainland mobile")
    await expect(page.get_by_label("手机号", exact=True)).to_have_attribute("aria-invalid", "true")

    phone = unique_phone()
    await page.get_by_label("手机号", exact=True).fill(phone)
    await page.get_by_role("button", name="新建", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    customer_id = page.url.rstrip("/").split("/")[-1]

    async with await api_as(console_platform, rep) as api:
        stored = (await api.get(f"/api/v1/customers/{customer_id}")).json()
    assert stored["name"] == name
    assert stored["company"] == "华东贸易"
    assert stored["owner_id"] == rep.id

    # Keyboard only: Tab to the search box, type, Enter, Tab to the row's link, Enter.
    await page.goto("/customers")
    await expect(page.get_by_role("heading", level=1, name="客户")).to_be_visible()
    search = page.get_by_role("searchbox", name="搜索客户").or_(page.get_by_label("搜索客户"))
    await page.locator("#main").focus()
    for _ in range(15):
        await page.keyboard.press("Tab")
        if await search.evaluate("(element) => element === document.activeElement"):
            break
    await expect(search).to_be_focused()
    await page.keyboard.type(name)
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"q="))
    rows = page.locator(".ant-table-tbody tr.ant-table-row")
    await expect(rows).to_have_count(1)
    await expect(search).to_be_focused()  # the search keeps focus and what was typed
    await expect(search).to_have_value(name)
    link = rows.get_by_role("link", name=name)
    for _ in range(25):
        await page.keyboard.press("Tab")
        if await link.evaluate("(element) => element === document.activeElement"):
            break
    await expect(link).to_be_focused()
    await expect(page.get_by_text("共 1 条").or_(page.get_by_text("1 in all"))).to_be_visible()

    assert await axe_violations(page) == []
    await screenshot(page, "customers-list")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


async def test_the_360_shows_what_the_api_returns_and_a_logged_visit_joins_the_timeline(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    async with console_platform.admin() as admin:
        customer = await create_customer(
            admin, owner_id=rep.id, company="北方机械", region="北京", tags=["loyal"]
        )
        await place_paid_order(admin, customer["id"], Decimal("1200.00"))
    async with await api_as(console_platform, rep) as api:
        seen = await settled_customer(api, customer["id"], "1200.00")

        await sign_in(page, rep)
        await page.goto(f"/customers/{customer['id']}")
        await expect(page.get_by_role("heading", level=1, name=seen["name"])).to_be_visible()
        assert seen["tier"] == "vip"
        await expect(page.get_by_test_id("customer-tier")).to_have_text("VIP")
        await expect(page.locator(".ant-statistic-content")).to_contain_text(
            f"{Decimal(seen['consumption']['total_consumption']):,.2f}"
        )
        # The customer is the rep's own: its personal numbers show in full, no mask notice.
        assert seen["pii_masked"] is False
        assert seen["phone"] == customer["phone"]
        await expect(page.get_by_text(seen["phone"], exact=True)).to_be_visible()
        await expect(page.get_by_text("个人号码", exact=False)).to_have_count(0)

        await page.get_by_role("button", name="记录拜访").click()
        dialog = page.get_by_role("dialog", name="记录互动")
        summary = f"上门拜访 {uuid.uuid4().hex[:6]}"
        await dialog.get_by_label("摘要").fill(summary)
        await dialog.get_by_label("备注").fill("客户对新款设备有兴趣")
        await dialog.get_by_role("button", name="保存").click()
        await expect(dialog).to_be_hidden()
        entry = page.get_by_test_id("timeline-entry").filter(has_text=summary)
        await expect(entry).to_be_visible()
        await expect(entry).to_contain_text("拜访")

        timeline = (await api.get(f"/api/v1/customers/{customer['id']}/timeline")).json()
        logged = [item for item in timeline["items"] if item["summary"] == summary]
        assert len(logged) == 1
        assert logged[0]["channel"] == "visit"
        assert logged[0]["recorded_by"] == rep.id

    assert await axe_violations(page) == []
    await screenshot(page, "customers-360")


async def test_an_edit_based_on_an_old_version_shows_the_newer_one(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    async with console_platform.admin() as admin:
        customer = await create_customer(admin, owner_id=rep.id, title="经理")
    await sign_in(page, rep)
    await page.goto(f"/customers/{customer['id']}")
    await page.get_by_role("button", name="编辑").click()
    drawer = page.get_by_role("dialog")
    await expect(drawer.get_by_label("职位", exact=True)).to_have_value("经理")

    async with console_platform.admin() as admin:
        changed = await admin.patch(
            f"/api/v1/customers/{customer['id']}",
            json={"title": "总经理"},
            headers={"If-Match": f'"{customer["version"]}"'},
        )
        assert changed.status_code == 200, changed.text

    await drawer.get_by_label("公司", exact=True).fill("南方电子")
    await drawer.get_by_role("button", name="保存").click()
    await expect(drawer.get_by_role("alert")).to_contain_text("已被他人修改")
    await expect(drawer.get_by_label("职位", exact=True)).to_have_value("总经理")
    await drawer.get_by_label("公司", exact=True).fill("南方电子")
    await drawer.get_by_role("button", name="保存").click()
    await expect(drawer).to_be_hidden()
    async with console_platform.admin() as admin:
        stored = (await admin.get(f"/api/v1/customers/{customer['id']}")).json()
    assert (stored["title"], stored["company"]) == ("总经理", "南方电子")


async def test_a_marketer_is_not_offered_new_customer_and_the_api_refuses_it(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    marketer = await new_person("marketer")
    await sign_in(page, marketer)
    await page.goto("/customers")
    await expect(page.get_by_role("heading", level=1, name="客户")).to_be_visible()
    await expect(page.get_by_role("button", name="导出")).to_be_visible()
    await expect(page.get_by_role("button", name="新建客户")).to_have_count(0)
    await expect(page.get_by_role("button", name="导入")).to_have_count(0)
    # The same screen in English (an untranslated key would fail the test).
    await page.get_by_text("EN", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Customers")).to_be_visible()
    await expect(page.get_by_role("button", name="Export")).to_be_visible()
    await expect(page.get_by_role("button", name="New customer")).to_have_count(0)
    await page.get_by_role("button", name="Filters").click()
    await expect(page.get_by_role("combobox", name="Tier")).to_be_visible()
    # Filters go to the API: a region and a team only this customer has.
    region, team = f"区域-{uuid.uuid4().hex[:6]}", f"team-{uuid.uuid4().hex[:6]}"
    async with console_platform.admin() as admin:
        customer = await create_customer(admin, region=region, team=team)
        await create_customer(admin, region=region, team="other")
    await page.get_by_label("Region", exact=True).fill(region)
    await page.get_by_label("Team", exact=True).fill(team)
    await page.get_by_role("button", name="Apply").click()
    await expect(page).to_have_url(re.compile("team="))
    rows = page.locator(".ant-table-tbody tr.ant-table-row")
    await expect(rows).to_have_count(1)
    await expect(rows.get_by_role("link", name=customer["name"])).to_be_visible()
    # The export takes the same filters.
    await page.get_by_role("button", name="Export").click()
    async with page.expect_download() as downloading:
        await page.get_by_role("menuitem", name="CSV file").click()
    download = await downloading.value
    assert download.suggested_filename.endswith(".csv")
    saved = Path(await download.path())
    exported = (await asyncio.to_thread(saved.read_text, encoding="utf-8-sig")).splitlines()
    assert len(exported) == 2  # the header and the one customer
    assert customer["name"] in exported[1]
    async with await api_as(console_platform, marketer) as api:
        forced = await api.post("/api/v1/customers", json={"name": "不该创建"})
    assert forced.status_code == 403


async def test_the_list_is_a_list_of_cards_on_a_phone(
    console_platform: Platform,
    context: BrowserContext,
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
) -> None:
    rep = await new_person("sales_rep")
    async with console_platform.admin() as admin:
        customer = await create_customer(admin, owner_id=rep.id, company="手机测试公司")
    await page.set_viewport_size(PHONE)
    await sign_in(page, rep)
    await page.goto("/customers")
    cards = page.get_by_role("list", name="客户").get_by_role("listitem")
    await expect(cards).to_have_count(1)
    await expect(cards.first.get_by_role("link", name=customer["name"])).to_be_visible()
    await fits_the_phone(page)
    assert await axe_violations(page) == []
    await cards.first.get_by_role("link", name=customer["name"]).click()
    await expect(page.get_by_role("heading", level=1, name=customer["name"])).to_be_visible()
    await fits_the_phone(page)


async def place_paid_order(admin: httpx.AsyncClient, customer_id: str, amount: Decimal) -> None:
    """An order of one line, invoiced and paid in full: sales tells customer of it."""
    order = await admin.post(
        "/api/v1/orders",
        json={
            "customer_id": customer_id,
            "lines": [{"product": "设备", "quantity": "1", "unit_price": str(amount)}],
        },
    )
    assert order.status_code == 201, order.text
    invoice = await admin.post(
        "/api/v1/invoices", json={"order_id": order.json()["order_id"], "due_date": "2099-01-01"}
    )
    assert invoice.status_code == 201, invoice.text
    paid = await admin.post(
        "/api/v1/payments",
        json={"invoice_id": invoice.json()["invoice_id"], "amount": str(amount)},
    )
    assert paid.status_code == 201, paid.text


async def settled_customer(api: httpx.AsyncClient, customer_id: str, total: str) -> dict[str, Any]:
    """The customer once the payment's event has reached the customer service."""
    latest: dict[str, Any] = {}

    async def counted() -> bool:
        latest.update((await api.get(f"/api/v1/customers/{customer_id}")).json())
        return bool(latest.get("consumption", {}).get("total_consumption") == total)

    await wait_until(counted, timeout=20, what="the payment counted in the customer's consumption")
    return latest


async def test_an_import_with_bad_rows_is_rejected_with_a_row_by_row_report(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    manager = await new_person("sales_manager")
    await sign_in(page, manager)
    await page.goto("/customers")
    await page.get_by_role("button", name="导入").click()
    await expect(page.get_by_role("heading", level=1, name="导入客户")).to_be_visible()
    tag = uuid.uuid4().hex[:6]
    sheet = (
        "name,phone,email,company\n"
        f"导入甲 {tag},{unique_phone()},a.{tag}@example.com,甲公司\n"
        f"导入乙 {tag},12345,b.{tag}@example.com,乙公司\n"
        f",{unique_phone()},c.{tag}@example.com,丙公司\n"
    )
    await page.locator("input[type=file]").set_input_files(
        files=[{"name": "customers.csv", "mimeType": "text/csv", "buffer": sheet.encode()}]
    )
    async with page.expect_response(
        lambda response: response.url.endswith("/api/v1/customer-imports")
    ) as started:
        await page.get_by_role("button", name="开始导入").click()
    import_id = (await (await started.value).json())["id"]
    await expect(page.get_by_text("未导入任何数据").first).to_be_visible()

    async with await api_as(console_platform, manager) as api:
        job = (await api.get(f"/api/v1/customer-imports/{import_id}")).json()
        listed = (await api.get("/api/v1/customers", params={"q": tag})).json()
    assert job["state"] == "failed"
    assert listed["total"] == 0
    rows = page.locator(".ant-table-tbody tr.ant-table-row")
    await expect(rows).to_have_count(len(job["errors"]))
    assert {error["row"] for error in job["errors"]} == {3, 4}
    for index, error in enumerate(job["errors"]):
        cells = rows.nth(index).locator("td")
        await expect(cells.nth(0)).to_have_text(str(error["row"]))
        await expect(cells.nth(1)).to_have_text(error["field"])
        await expect(cells.nth(2)).to_have_text(error["reason"])
    assert await axe_violations(page) == []


async def test_a_manager_sees_the_relationship_network_of_a_customer(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    manager = await new_person("sales_manager")
    async with console_platform.admin() as admin:
        first = await create_customer(admin, owner_id=manager.id, company="网络测试甲")
        second = await create_customer(admin, owner_id=manager.id, company="网络测试乙")
        related = await admin.post(
            "/api/v1/customer-relations",
            json={"source_id": first["id"], "target_id": second["id"], "kind": "referral"},
        )
        assert related.status_code == 204, related.text
    await sign_in(page, manager)
    await page.goto(f"/customers/{first['id']}")
    await page.get_by_role("tab", name="关系网络").click()
    panel = page.get_by_role("tabpanel")
    await expect(panel.get_by_role("img", name="关系网络")).to_be_visible()
    assert await axe_violations(page) == []
    await expect(panel.get_by_role("link", name=second["name"])).to_be_visible()
    await panel.get_by_role("link", name=second["name"]).click()
    await expect(page.get_by_role("heading", level=1, name=second["name"])).to_be_visible()


async def test_an_administrator_merges_a_duplicate_into_the_customer_that_stays(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    admin_person = await new_person("admin")
    name = f"重复客户 {uuid.uuid4().hex[:6]}"
    async with console_platform.admin() as admin:
        older = await create_customer(admin, name=name, company="重复公司")
        newer = await create_customer(admin, name=name, company="重复公司")
    await sign_in(page, admin_person)
    await page.goto("/customers")
    await page.get_by_role("button", name="重复客户").click()
    await expect(page.get_by_role("heading", level=1, name="重复客户")).to_be_visible()
    group = page.locator(".ant-card").filter(has_text=older["member_id"])
    await expect(group).to_contain_text(newer["member_id"])
    await group.get_by_role("radio", name=re.compile(older["member_id"])).check()
    await group.get_by_role("button", name=f"合并到 {name}").click()
    await page.get_by_role("button", name="确认").click()
    await expect(group).to_have_count(0)

    async with console_platform.admin() as admin:
        kept = await admin.get(f"/api/v1/customers/{older['id']}")
        gone = await admin.get(f"/api/v1/customers/{newer['id']}")
    assert kept.status_code == 200
    assert gone.status_code == 404
