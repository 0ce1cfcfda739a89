"""The console redeployed under a person still signed in: the next screen loaded on
demand asks for a chunk of the old build, which is gone.

The sales screens' chunk is made to fail (as a file the new build no longer has), then
the person opens the forecast from the menu. The page reloads by itself once, at the
forecast's address and not the page being left (the new build would be there), and
when the chunk still fails it does not reload again but says, in the person's language
and inside the layout with its menu, that a new version is available, with a button
that reloads; once the chunk is there again, that button opens the screen.
"""

from __future__ import annotations

import json

import pytest
from playwright.async_api import Page, Request, Route, expect

from crm_chassis.testing import wait_until

from .browser import PageRequests, axe_violations
from .conftest import NewPerson, SignIn

pytestmark = pytest.mark.e2e

SALES_CHUNK = "**/assets/SalesRoutes-*.js"


async def test_a_screen_of_a_replaced_build_offers_the_new_version_inside_the_layout(
    page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    manager = await new_person("sales_manager")
    await sign_in(page, manager)

    navigations: list[str] = []  # the page's own loads from here on (reloads)

    def on_request(request: Request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            navigations.append(request.url)

    def loads() -> list[str]:
        """Loads of the forecast's address; any other would be the page the person left."""
        assert all(url.endswith("/sales/forecast") for url in navigations), navigations
        return navigations

    page.on("request", on_request)
    refused: list[str] = []

    async def gone(route: Route) -> None:
        refused.append(route.request.url)
        await route.fulfill(status=404, content_type="text/plain", body="Not Found")

    await page.route(SALES_CHUNK, gone)

    await page.get_by_role("navigation").get_by_role("menuitem", name="销售预测").click()

    # One reload by itself, for the new build; the chunk is still gone after it.
    await wait_until(lambda: len(loads()) >= 1, what="the page reloaded itself", timeout=15)
    main = page.locator("#main")
    await expect(main.get_by_role("heading", name="控制台有新版本")).to_be_visible()
    await expect(page.get_by_role("navigation", name="主菜单")).to_be_visible()
    await expect(main.get_by_role("button", name="重新加载")).to_be_visible()
    await expect(page.get_by_text("Unexpected Application Error")).to_have_count(0)
    await PageRequests(page).settled()
    assert len(loads()) == 1, f"reloaded in a loop: {navigations}"
    assert len(refused) >= 2, refused  # before the reload and after it
    remembered = await page.evaluate("() => sessionStorage.getItem('crm.console.newVersionReload')")
    assert json.loads(remembered)["path"] == "/sales/forecast"
    assert await axe_violations(page) == []

    # In English too, switched on the page.
    await page.get_by_text("EN", exact=True).click()
    await expect(
        main.get_by_role("heading", name="A new version of the console is available")
    ).to_be_visible()
    assert await axe_violations(page) == []

    # The new build is there now: the button reloads the page and the screen opens.
    await page.unroute(SALES_CHUNK)
    await main.get_by_role("button", name="Reload").click()
    await expect(main.get_by_role("heading", name="Forecast", exact=True)).to_be_visible()
    assert len(loads()) == 2, navigations
