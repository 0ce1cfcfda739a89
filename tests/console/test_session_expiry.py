"""A session that ends in the middle of work: the person signs in again over the page
and nothing they typed is lost."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from crm_e2e.harness import Platform

from .conftest import NewPerson, SignIn

pytestmark = pytest.mark.e2e


async def test_an_ended_session_asks_to_sign_in_again_and_keeps_the_form(
    page: Page, console_platform: Platform, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    await page.goto("/customers/new")
    await page.get_by_label("姓名").fill("Zhou Typed-Before-Expiry")

    # The administrator changes the rep's password: every token of theirs is revoked.
    async with console_platform.admin() as admin:
        user = await admin.get(f"/api/v1/users/{rep.id}")
        changed = await admin.patch(
            f"/api/v1/users/{rep.id}",
            json={"password": "a-new-password-2"},
            headers={"If-Match": user.headers["etag"]},
        )
        assert changed.status_code == 200, changed.text

    await page.get_by_role("button", name="新建").click()
    dialog = page.get_by_role("dialog", name="登录已过期")
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("密码").fill("a-new-password-2")
    await dialog.get_by_role("button", name="登录").click()
    await expect(dialog).to_be_hidden()

    await expect(page.get_by_label("姓名")).to_have_value("Zhou Typed-Before-Expiry")
    await page.get_by_role("button", name="新建").click()
    await expect(page.get_by_role("heading", name="Zhou Typed-Before-Expiry")).to_be_visible()
    async with console_platform.admin() as admin:
        found = await admin.get("/api/v1/customers", params={"q": "Typed-Before-Expiry"})
    assert [c["name"] for c in found.json()["items"]] == ["Zhou Typed-Before-Expiry"]
