"""Analytics in the console: the dashboard and reports an analyst reads, as the API
gives them, exported as the API renders them, and weekly report e-mails scheduled.

A sales rep (no reports:read) is not offered analytics and the API refuses them.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login

from .browser import PHONE, axe_violations, fits_the_phone, screenshot
from .clock import local_now
from .conftest import NewPerson, SignIn

pytestmark = pytest.mark.e2e


def _six_months() -> dict[str, str]:
    """The console's default period: the last six months up to this one, in the
    browser's zone (a month's last evening there is already the next month)."""
    today = local_now()
    index = today.year * 12 + today.month - 1 - 5
    return {
        "period_from": f"{index // 12}-{index % 12 + 1:02d}",
        "period_to": f"{today.year}-{today.month:02d}",
    }


async def test_an_analyst_sees_the_figures_the_reports_api_gives_and_exports_them(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    analyst = await new_person("analyst", team=None)
    token = await login(console_platform, analyst.email, analyst.password)
    async with console_platform.client(token) as api:
        before = (await api.get("/api/v1/dashboards/main")).json()["customers"]
        async with console_platform.admin() as admin:
            created = await admin.post(
                "/api/v1/customers", json={"name": f"分析客户{uuid.uuid4().hex[:6]}"}
            )
        assert created.status_code == 201, created.text

        async def counted() -> bool:
            response = await api.get("/api/v1/dashboards/main")
            return bool(response.json()["customers"] > before)

        await wait_until(counted, timeout=15, what="the new customer in the dashboard")
        dashboard = (await api.get("/api/v1/dashboards/main")).json()
        funnel = (await api.get("/api/v1/reports/funnel", params=_six_months())).json()
        exported = await api.get(
            "/api/v1/reports/funnel/export", params={**_six_months(), "format": "csv"}
        )
    assert exported.status_code == 200

    await sign_in(page, analyst)
    await page.get_by_role("navigation", name="主菜单").get_by_text("数据分析").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("数据分析")
    customers = page.get_by_test_id("dashboard-customers")
    await expect(customers).to_contain_text(f"{dashboard['customers']:,}")
    await expect(page.get_by_test_id("dashboard-open_opportunities")).to_contain_text(
        f"{dashboard['open_opportunities']:,}"
    )
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "analytics-dashboard")

    await page.get_by_role("tab", name="销售漏斗").click()
    await expect(page.get_by_test_id("funnel-opportunities")).to_contain_text(
        f"{funnel['opportunities']:,}"
    )
    await expect(page.get_by_role("img", name="各阶段进入商机数的漏斗图")).to_be_visible()
    await page.get_by_role("button", name="导出").click()
    async with page.expect_download() as download_info:
        await page.get_by_role("menuitem", name="CSV 文件").click()
    download = await download_info.value
    assert download.suggested_filename == "funnel.csv"
    path = await download.path()
    assert path.read_bytes() == exported.content
    violations = await axe_violations(page)
    assert violations == [], violations

    await page.set_viewport_size(PHONE)
    await expect(page.get_by_test_id("funnel-opportunities")).to_be_in_viewport()
    # The charts redraw to the narrower screen; nothing is wider than the phone.
    await fits_the_phone(page)


async def test_an_analyst_schedules_a_weekly_report(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    analyst = await new_person("analyst", team=None)
    name = f"每周漏斗 {uuid.uuid4().hex[:6]}"
    await sign_in(page, analyst)
    await page.goto("/analytics?tab=schedules")
    await page.get_by_role("button", name="新建定时报表").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("名称").fill(name)
    await dialog.get_by_label("报表", exact=True).click()
    await page.locator(".ant-select-dropdown:visible").get_by_title("销售漏斗").click()
    recipients = dialog.get_by_label("收件人")
    await recipients.fill("boss@example.com")
    await recipients.press("Enter")
    await dialog.get_by_role("button", name="新建", exact=True).click()
    row = page.get_by_role("row").filter(has_text=name)
    await expect(row).to_contain_text("boss@example.com")
    await expect(row).to_contain_text("每周一 8:00 UTC")

    token = await login(console_platform, analyst.email, analyst.password)
    async with console_platform.client(token) as api:
        listed = (await api.get("/api/v1/report-schedules", params={"report": "funnel"})).json()
    mine = [item for item in listed["items"] if item["name"] == name]
    assert len(mine) == 1
    assert mine[0]["recipients"] == ["boss@example.com"]
    assert mine[0]["weekday"] == 0
    assert mine[0]["hour"] == 8


async def test_a_rep_is_not_offered_analytics_and_the_api_refuses(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    nav = page.get_by_role("navigation", name="主菜单")
    await expect(nav.get_by_text("销售管道")).to_be_visible()
    await expect(nav.get_by_text("数据分析")).to_have_count(0)
    await page.goto("/analytics")
    await expect(page.get_by_text("页面不存在")).to_be_visible()
    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as api:
        assert (await api.get("/api/v1/reports/funnel")).status_code == 403
        assert (await api.get("/api/v1/reports/funnel/export")).status_code == 403
