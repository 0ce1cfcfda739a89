"""Every main screen of the console in both languages, switched at any time.

An administrator (who may open every screen) walks the main screens in Chinese,
switches to English with the language switch, walks them again and switches back. The
``page`` fixture fails the test on any untranslated key or script error; the choice is
remembered across a reload. A screen still being built (a "page not found"
placeholder) passes as long as it is translated too.
"""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from .browser import PageRequests
from .conftest import NewPerson, SignIn

pytestmark = pytest.mark.e2e

SCREENS = (
    "/",
    "/customers",
    "/sales/pipeline",
    "/sales/leads",
    "/marketing/campaigns",
    "/support/tickets",
    "/analytics",
    "/settings/users",
    "/settings/dead-letters",
    "/notifications/preferences",
)


async def _walk(page: Page, home: str) -> None:
    """Opens each screen and waits until it has drawn its data."""
    requests = PageRequests(page)
    for path in SCREENS:
        await page.goto(path)
        nav = page.get_by_role("navigation")
        await expect(nav.get_by_text(home, exact=True)).to_be_visible()
        await expect(page.locator("#main h1, #main .ant-result-title").first).to_be_visible()
        await requests.settled()
        await expect(page.locator("#main .ant-spin-spinning")).to_have_count(0)


async def test_an_admin_walks_every_screen_in_chinese_and_english(
    page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    admin = await new_person("admin", team=None)
    await sign_in(page, admin)
    assert await page.evaluate("() => document.documentElement.lang") == "zh-CN"
    await _walk(page, "首页")

    await page.get_by_text("EN", exact=True).click()
    await expect(page.get_by_role("navigation").get_by_text("Home", exact=True)).to_be_visible()
    assert await page.evaluate("() => document.documentElement.lang") == "en"
    await page.reload()
    name = admin.email.split("@")[0]
    await expect(page.get_by_role("button", name=f"Account: {name}", exact=True)).to_be_visible()
    assert await page.evaluate("() => document.documentElement.lang") == "en"
    await _walk(page, "Home")

    await page.get_by_text("中文", exact=True).click()
    await expect(page.get_by_role("navigation").get_by_text("首页", exact=True)).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("button", name=f"账户\uff1a{name}", exact=True)).to_be_visible()
    assert await page.evaluate("() => document.documentElement.lang") == "zh-CN"
