# ruff: noqa: RUF001  (the console's Chinese texts use full-width punctuation)
"""Customer notices in the console (issue #17), for administrators, compared with the
notifications service's API through the gateway.

An administrator changes the reminder steps (a day added before the due date, one
removed after it) and an English template; a placeholder the kind does not offer is
refused by the service and the console shows its reason beside the subject, not the
body; a placeholder clicked beside the editor goes in at the caret, the preview fills it
in, and what is saved is what the API reads back. A change someone made meanwhile is
refused (412) and the console offers their version. A sales rep is not offered the
screen, its route is refused and so is the API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Page, expect

from crm_e2e.harness import Platform, login

from .browser import DESK, PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, SignIn

pytestmark = pytest.mark.e2e

SETTINGS = "/api/v1/customer-notice-settings"
TEMPLATE = "/api/v1/customer-notice-templates/order_status/en"


@pytest.fixture
async def shipped_notices(console_platform: Platform) -> AsyncIterator[dict[str, Any]]:
    """The steps at their defaults and the order status template in English as found;
    both put back afterwards, since they are the platform's, not this test's."""
    async with console_platform.admin() as api:
        template = (await api.get(TEMPLATE)).json()
        reset = await api.put(
            SETTINGS,
            json={"payment_reminder_days_before": [1, 7], "overdue_notice_days_after": [1, 7, 30]},
        )
        assert reset.status_code == 200, reset.text
    yield template
    async with console_platform.admin() as api:
        await api.put(
            SETTINGS,
            json={"payment_reminder_days_before": [1, 7], "overdue_notice_days_after": [1, 7, 30]},
        )
        await api.put(TEMPLATE, json={"subject": template["subject"], "body": template["body"]})


async def test_an_admin_changes_the_reminder_steps_and_a_template(
    console_platform: Platform,
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
    shipped_notices: dict[str, Any],
) -> None:
    admin = await new_person("admin", team=None)
    await sign_in(page, admin)
    await page.get_by_role("navigation", name="主菜单").get_by_text("客户通知").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("客户通知")
    await expect(page).to_have_url(f"{console_platform.gateway_url}/settings/customer-notices")
    violations = await axe_violations(page)
    assert violations == [], violations

    # The steps: 3 days before the due date added, the 30 days after it removed.
    before = page.get_by_role("group", name="付款提醒：到期前天数")
    after = page.get_by_role("group", name="逾期通知：到期后天数")
    await expect(before.get_by_role("spinbutton")).to_have_count(2)
    await before.get_by_role("button", name="为“付款提醒：到期前天数”添加一天").click()
    added = before.get_by_role("spinbutton", name="付款提醒：到期前天数，第 3 项")
    await added.fill("400")
    await page.get_by_role("button", name="保存提醒时间").click()
    await expect(before).to_contain_text("请输入 1 到 365 之间的整数天数。")
    await added.fill("3")
    await after.get_by_role("button", name="删除逾期通知：到期后天数，第 3 项").click()
    await page.get_by_role("button", name="保存提醒时间").click()
    await expect(page.get_by_text("提醒时间已保存。")).to_be_visible()
    async with console_platform.admin() as api:
        stored = (await api.get(SETTINGS)).json()
    assert stored["payment_reminder_days_before"] == [1, 3, 7]
    assert stored["overdue_notice_days_after"] == [1, 7]
    assert stored["updated_by"] == admin.id

    # The order status mail in English.
    await page.get_by_label("通知类型").click()
    await page.locator(".ant-select-dropdown:visible").get_by_title("订单状态").click()
    await page.get_by_role("radiogroup", name="客户语言").get_by_text("English").click()
    subject = page.get_by_label("主题", exact=True)
    body = page.get_by_label("正文", exact=True)
    await expect(subject).to_have_value(shipped_notices["subject"])
    placeholders = page.get_by_role("region", name="占位符")
    for name in ("customer_name", "order_number", "status"):
        await expect(placeholders.get_by_role("button", name=f"插入 ${{{name}}}")).to_be_visible()
    await expect(placeholders.get_by_role("button", name="插入 ${amount}")).to_have_count(0)

    await subject.fill("Order ${order_number} is ${tracking_code}")
    await page.get_by_role("button", name="保存模板").click()
    subject_item = page.locator(".ant-form-item").filter(has=subject)
    body_item = page.locator(".ant-form-item").filter(has=body)
    await expect(subject_item).to_contain_text("此项填写有误")
    await expect(subject_item).to_contain_text("tracking_code")
    await expect(body_item.locator(".ant-form-item-explain-error")).to_have_count(0)
    async with console_platform.admin() as api:
        unchanged = (await api.get(TEMPLATE)).json()
    assert unchanged["subject"] == shipped_notices["subject"]

    await subject.fill("Order ${order_number}: ")
    await placeholders.get_by_role("button", name="插入 ${status}").click()
    await expect(subject).to_have_value("Order ${order_number}: ${status}")
    preview = page.get_by_test_id("notice-preview")
    await expect(preview).to_contain_text("Order SO-2025-0107: shipped")
    await body.fill("Dear ${customer_name},\n<b>${order_number}</b> is ${status}. 100$$ off!")
    await expect(preview).to_contain_text("<b>SO-2025-0107</b> is shipped. 100$ off!")
    assert await preview.locator("b").count() == 0
    await page.get_by_role("button", name="保存模板").click()
    await expect(page.get_by_text("模板已保存。")).to_be_visible()
    async with console_platform.admin() as api:
        saved = (await api.get(TEMPLATE)).json()
    assert saved["subject"] == "Order ${order_number}: ${status}"
    assert (
        saved["body"] == "Dear ${customer_name},\n<b>${order_number}</b> is ${status}. 100$$ off!"
    )
    assert saved["default"] is False
    assert saved["updated_by"] == admin.id
    await expect(page.get_by_text("已修改", exact=True)).to_be_visible()
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "settings-customer-notices")

    # Someone else saves meanwhile: refused, and their version offered.
    async with console_platform.admin() as api:
        theirs = await api.put(
            TEMPLATE,
            json={"subject": "Order ${order_number} update", "body": saved["body"]},
            headers={"If-Match": f'"{saved["version"]}"'},
        )
        assert theirs.status_code == 200, theirs.text
    await subject.fill("Mine: ${order_number}")
    await page.get_by_role("button", name="保存模板").click()
    await expect(page.get_by_text("此内容已被他人修改，您的修改未保存。")).to_be_visible()
    await page.get_by_role("button", name="载入最新版本").click()
    await expect(subject).to_have_value("Order ${order_number} update")
    async with console_platform.admin() as api:
        kept = (await api.get(TEMPLATE)).json()
    assert kept["subject"] == "Order ${order_number} update"

    await page.set_viewport_size(PHONE)
    await expect(subject).to_be_visible()
    await fits_the_phone(page)
    await page.set_viewport_size(DESK)


async def test_a_rep_is_not_offered_customer_notices(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    nav = page.get_by_role("navigation", name="主菜单")
    await expect(nav.get_by_text("销售管道")).to_be_visible()
    await expect(nav.get_by_text("客户通知")).to_have_count(0)
    await page.goto("/settings/customer-notices")
    await expect(page.get_by_text("页面不存在")).to_be_visible()
    await expect(page.get_by_role("heading", name="客户通知")).to_have_count(0)
    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as api:
        assert (await api.get("/api/v1/customer-notice-templates")).status_code == 403
        refused = await api.put(
            SETTINGS,
            json={"payment_reminder_days_before": [2], "overdue_notice_days_after": []},
        )
        assert refused.status_code == 403
