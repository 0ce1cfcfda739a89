"""Signing in and out of the console, and what the browser is (not) given to keep."""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, Page, expect

from crm_e2e.harness import Platform

from .browser import axe_violations
from .conftest import NewPerson, SignIn

pytestmark = pytest.mark.e2e


async def test_console_is_served_at_root_with_a_strict_csp(
    console_platform: Platform, page: Page
) -> None:
    response = await page.goto("/customers/any-deep-link")
    assert response is not None
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    script_sources = csp.split("script-src")[1].split(";")[0]
    assert "unsafe-inline" not in script_sources
    await expect(page.get_by_role("button", name="登录")).to_be_visible()


async def test_refresh_token_is_an_httponly_cookie_and_nothing_is_in_storage(
    page: Page, context: BrowserContext, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    cookies = {cookie["name"]: cookie for cookie in await context.cookies()}
    session = cookies["crm_session"]
    assert session["httpOnly"]
    assert session["secure"]
    assert session["sameSite"] == "Strict"
    assert session["path"] == "/api/v1/auth/session"
    stored = await page.evaluate("() => [localStorage.length, sessionStorage.length]")
    assert stored == [0, 0]
    assert await page.evaluate("() => document.cookie.includes('crm_session')") is False


async def test_a_reload_keeps_the_person_signed_in_and_sign_out_revokes(
    page: Page, context: BrowserContext, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    await page.reload()
    # The account button's name holds the name it shows (axe: label-content-name-mismatch).
    account = page.get_by_role("button", name=f"账户\uff1a{rep.email.split('@')[0]}", exact=True)
    await expect(account).to_be_visible()
    await account.click()
    await page.get_by_role("menuitem", name="退出登录").click()
    await expect(page.get_by_role("button", name="登录")).to_be_visible()
    # The old cookie, replayed, no longer gives a token.
    refreshed = await context.request.post(
        "/api/v1/auth/session/refresh", headers={"X-CRM-Console": "1"}
    )
    assert refreshed.status == 400


async def test_session_refresh_refuses_a_request_without_the_console_header(
    page: Page, context: BrowserContext, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    forged = await context.request.post("/api/v1/auth/session/refresh")
    assert forged.status == 400


async def test_wrong_password_is_explained_and_sign_in_works_by_keyboard(
    page: Page, new_person: NewPerson
) -> None:
    rep = await new_person("sales_rep")
    await page.goto("/")
    await page.keyboard.press("Tab")  # the language switch, then the fields
    await page.get_by_label("邮箱").focus()
    await page.keyboard.type(rep.email)
    await page.keyboard.press("Tab")
    await page.keyboard.type("not-the-password")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("邮箱或密码错误")
    await page.get_by_label("密码").fill("")
    await page.get_by_label("密码").focus()
    await page.keyboard.type(rep.password)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("button", name="账户")).to_be_visible()


async def test_sign_in_screen_has_no_serious_accessibility_violation(page: Page) -> None:
    await page.goto("/")
    await expect(page.get_by_role("button", name="登录")).to_be_visible()
    assert await axe_violations(page) == []


async def test_a_rep_sees_sales_but_not_administration(
    page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)
    nav = page.get_by_role("navigation", name="主菜单")
    await expect(nav.get_by_text("销售管道")).to_be_visible()
    await expect(nav.get_by_text("系统管理")).to_have_count(0)
    await expect(nav.get_by_text("营销活动")).to_have_count(0)
