"""Marketing in the console: a marketer builds a segment, writes a template, plans a
campaign and launches it; the mails arrive and the campaign page shows what the API
counts. A sales rep sees no marketing and cannot launch a campaign."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login
from crm_localinfra.smtp import SmtpCapture

from .browser import DESK, PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, SignIn

# A shared, busy test machine: the first journey also waits for the platform to start.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def ok(response: httpx.Response, *expected: int) -> Any:
    assert response.status_code in (expected or (200, 201)), (
        f"{response.request.method} {response.request.url.path}: "
        f"{response.status_code} {response.text}"
    )
    return response.json()


async def consenting_customers(platform: Platform, tag: str, count: int) -> list[str]:
    """Customers with an e-mail, the tag and e-mail consent; marketing knows them all."""
    emails = []
    async with platform.admin() as admin:
        for number in range(count):
            email = f"{tag}.{number}@example.com"
            customer = ok(
                await admin.post(
                    "/api/v1/customers",
                    json={"name": f"{tag} {number}", "email": email, "tags": [tag]},
                ),
                201,
            )
            ok(
                await admin.put(
                    f"/api/v1/subscriptions/{customer['id']}/channels/email",
                    json={"subscribed": True, "email": email},
                )
            )
            emails.append(email)

        async def known() -> bool:
            preview = ok(await admin.post("/api/v1/segments/preview", json=by_tag(tag)))
            return bool(preview["count"] == count)

        await wait_until(known, timeout=20, interval=0.2, what="customers known to marketing")
    return emails


def by_tag(tag: str) -> dict[str, Any]:
    return {"name": "preview", "kind": "rules", "rules": {"tags_any": [tag]}}


async def pick(page: Page, label: str, option: str) -> None:
    """Chooses an option of an Ant Design select found by its label."""
    await page.get_by_label(label, exact=True).click()
    await page.locator(".ant-select-item-option", has_text=option).click()


async def test_a_marketer_sends_a_campaign_to_a_segment_and_sees_what_was_sent(
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
    console_platform: Platform,
    smtp_server: SmtpCapture,
) -> None:
    tag = f"mkt{uuid.uuid4().hex[:8]}"
    emails = await consenting_customers(console_platform, tag, 3)
    marketer = await new_person("marketer")
    await sign_in(page, marketer)

    # The segment: one rule, and the live preview counts what the API counts.
    await page.goto("/marketing/segments/new")
    await page.get_by_label("名称").fill(f"Segment {tag}")
    tags = page.get_by_label("包含任一标签")
    await tags.fill(tag)
    await tags.press("Enter")
    await tags.press("Escape")
    await expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)
    async with console_platform.admin() as admin:
        expected = ok(await admin.post("/api/v1/segments/preview", json=by_tag(tag)))["count"]
    assert expected == 3
    await expect(page.get_by_test_id("segment-preview-count")).to_contain_text(str(expected))
    assert await axe_violations(page) == []
    await screenshot(page, "marketing-segment")
    await page.get_by_role("button", name="保存").click()
    await expect(page).to_have_url(re.compile(r"/marketing/segments/[0-9a-f]{32}$"))

    # The template, previewed as the API renders it.
    subject = f"Spring offer {tag}"
    await page.goto("/marketing/templates/new")
    await page.get_by_label("名称").fill(f"Template {tag}")
    await page.get_by_label("主题").fill(subject)
    body = page.get_by_label("正文（HTML）")  # noqa: RUF001
    await body.fill("<p>Hello {{ customer_name }}!</p>")
    await page.get_by_role("button", name="创建并预览").click()
    await expect(page.get_by_test_id("template-preview-subject")).to_have_text(subject)

    # A Chinese template previewed for a Chinese sample customer, not "Li Wei" of "Beijing".
    await page.goto("/marketing/templates/new")
    await page.get_by_label("名称").fill(f"双十二 {tag}")
    await page.get_by_label("主题").fill("{{ customer_name }}，双十二专享优惠")  # noqa: RUF001
    await body.fill("<p>{{ region }}地区会员专享</p>")
    await page.get_by_role("button", name="创建并预览").click()
    await expect(page.get_by_test_id("template-preview-subject")).to_have_text(
        "李伟，双十二专享优惠"  # noqa: RUF001
    )
    preview = page.locator(".ant-card").filter(has=page.get_by_test_id("template-preview-subject"))
    await expect(preview.locator("pre")).to_have_text("北京地区会员专享")
    await expect(preview).not_to_contain_text("Li Wei")
    await expect(preview).not_to_contain_text("Beijing")

    # The campaign: planned, given its audience and mail, prepared and launched.
    await page.goto("/marketing/campaigns")
    await page.get_by_role("button", name="新建活动").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("名称").fill(f"Campaign {tag}")
    await dialog.get_by_label("预算").fill("5000")
    await dialog.get_by_role("button", name="新建", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/marketing/campaigns/[0-9a-f]{32}$"))
    campaign_id = page.url.rsplit("/", 1)[1]
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Campaign {tag}")
    await page.get_by_role("button", name="编辑计划").click()
    await page.get_by_role("dialog").get_by_label("预算").fill("6000")
    await page.get_by_role("dialog").get_by_role("button", name="保存").click()
    await expect(page.get_by_text("¥6,000.00")).to_be_visible()
    async with console_platform.admin() as admin:
        stored = ok(await admin.get(f"/api/v1/campaigns/{campaign_id}"))
    assert stored["budget"] == "6000.00"
    await pick(page, "目标客群", f"Segment {tag}")
    # Saved once the page knows the segment: it then says how many customers it selects.
    await expect(page.get_by_test_id("audience-size")).to_contain_text(str(len(emails)))
    await pick(page, "邮件模板", f"Template {tag}")
    await expect(page.get_by_text("请选择邮件模板。")).to_have_count(0)
    await page.get_by_role("button", name="开始准备").click()
    await expect(page.locator(".ant-tag", has_text="准备中")).to_be_visible()
    await page.get_by_role("button", name="开始发送").click()
    await page.locator(".ant-popconfirm").get_by_role("button", name="开始发送").click()
    await expect(page.locator(".ant-tag", has_text="进行中")).to_be_visible()

    # The mails arrive, one to each customer of the segment.
    async def all_mailed() -> bool:
        return all(
            any(m.subject == subject for m in smtp_server.messages_to(email)) for email in emails
        )

    await wait_until(all_mailed, timeout=30, interval=0.2, what="campaign mails")

    # The page shows the sent count the API returns.
    async with console_platform.admin() as admin:

        async def all_sent() -> bool:
            metrics = ok(await admin.get(f"/api/v1/campaigns/{campaign_id}/metrics"))
            return bool(metrics["sent"] == len(emails))

        await wait_until(all_sent, timeout=20, interval=0.2, what="sent count")
        metrics = ok(await admin.get(f"/api/v1/campaigns/{campaign_id}/metrics"))
    await expect(page.get_by_test_id("metric-sent")).to_contain_text(str(metrics["sent"]))
    await expect(page.get_by_test_id("metric-audience")).to_contain_text(str(metrics["audience"]))
    await expect(page.locator("canvas")).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "marketing-campaign")

    # On a phone the campaign page stacks: nothing scrolls the page sideways.
    await page.set_viewport_size(PHONE)
    await page.reload()
    await expect(page.get_by_test_id("metric-sent")).to_contain_text(str(metrics["sent"]))
    await fits_the_phone(page)
    await page.set_viewport_size(DESK)

    await page.goto("/marketing/campaigns")
    await expect(page.get_by_role("link", name=f"Campaign {tag}")).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "marketing-campaigns")


async def test_a_sales_rep_sees_no_marketing_and_cannot_launch_a_campaign(
    page: Page, new_person: NewPerson, sign_in: SignIn, console_platform: Platform
) -> None:
    async with console_platform.admin() as admin:
        campaign = ok(
            await admin.post(
                "/api/v1/campaigns",
                json={"name": "Not for reps", "channels": ["email"], "budget": "10.00"},
            ),
            201,
        )
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    nav = page.get_by_role("navigation", name="主菜单")
    await expect(nav.get_by_text("销售管道")).to_be_visible()
    await expect(nav.get_by_text("营销", exact=True)).to_have_count(0)
    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as client:
        refused = await client.post(f"/api/v1/campaigns/{campaign['id']}/deliveries")
        listed = await client.get("/api/v1/campaigns")
    assert refused.status_code == 403, refused.text
    assert listed.status_code == 403, listed.text


async def test_an_analyst_reads_campaigns_but_is_offered_no_change(
    page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    analyst = await new_person("analyst")
    await sign_in(page, analyst)
    await page.goto("/marketing/campaigns")
    await expect(page.get_by_role("heading", name="营销活动", level=1)).to_be_visible()
    await expect(page.get_by_role("button", name="新建活动")).to_have_count(0)

    # At 390 px the list fits the screen: nothing scrolls the page sideways.
    await page.set_viewport_size(PHONE)
    await page.goto("/marketing/campaigns")
    await expect(page.get_by_role("heading", name="营销活动", level=1)).to_be_visible()
    await fits_the_phone(page)
    assert await axe_violations(page) == []


async def test_a_marketer_creates_a_promotion_issues_a_coupon_and_suppresses_an_address(
    page: Page, new_person: NewPerson, sign_in: SignIn, console_platform: Platform
) -> None:
    marketer = await new_person("marketer")
    await sign_in(page, marketer)
    name = f"Promotion {uuid.uuid4().hex[:8]}"
    await page.goto("/marketing/promotions")
    await page.get_by_role("button", name="新建促销").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("名称").fill(name)
    await dialog.get_by_label("折扣（%）").fill("15")  # noqa: RUF001
    await dialog.get_by_role("button", name="新建", exact=True).click()
    await page.get_by_role("button", name=name).click()
    code = f"SPRING{uuid.uuid4().hex[:6].upper()}"
    drawer = page.get_by_role("dialog")
    await drawer.get_by_label("券码").fill(code)
    await drawer.get_by_role("button", name="发放优惠券").click()
    await expect(drawer.get_by_role("cell", name=code)).to_be_visible()
    async with console_platform.admin() as admin:
        coupons = ok(await admin.get("/api/v1/coupons", params={"code": code}))
    assert [c["code"] for c in coupons["items"]] == [code]
    assert await axe_violations(page) == []
    await page.keyboard.press("Escape")
    await expect(drawer).to_have_count(0)

    email = f"blocked.{uuid.uuid4().hex[:6]}@example.com"
    await page.goto("/marketing/subscriptions")
    await page.get_by_role("tab", name="屏蔽名单").click()
    panel = page.get_by_role("tabpanel", name="屏蔽名单")
    await panel.get_by_label("邮箱").fill(email)
    await panel.get_by_role("button", name="添加屏蔽地址").click()
    await expect(panel.get_by_role("cell", name=email, exact=True)).to_be_visible()
    async with console_platform.admin() as admin:
        ok(await admin.get(f"/api/v1/suppressions/{email}"))
    assert await axe_violations(page) == []
