"""Administration in the console: an administrator creates a person's account with a
role, and that person signs in with it; a sales rep is not offered administration and
the API refuses them; a deactivated account can no longer sign in, and the audit log
shows who did it.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Page, expect

from crm_e2e.harness import Platform, login

from .browser import DESK, PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import PASSWORD, NewPerson, SignIn

pytestmark = pytest.mark.e2e


async def _sign_out(page: Page) -> None:
    await page.get_by_role("button", name="账户").click()
    await page.get_by_role("menuitem", name="退出登录").click()
    await expect(page.get_by_role("button", name="登录")).to_be_visible()


async def test_an_admin_creates_a_rep_who_signs_in_and_is_refused_administration(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    admin = await new_person("admin", team=None)
    email = f"new.rep.{uuid.uuid4().hex[:6]}@console.test"
    name = f"新代表{uuid.uuid4().hex[:4]}"
    await sign_in(page, admin)
    await page.get_by_role("navigation", name="主菜单").get_by_text("用户与角色").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("用户与角色")
    violations = await axe_violations(page)
    assert violations == [], violations

    await page.get_by_role("button", name="新建用户").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("邮箱", exact=True).fill(email)
    await dialog.get_by_label("显示名称").fill(name)
    await dialog.get_by_label("初始密码").fill("short")
    await dialog.get_by_role("checkbox", name="销售代表").check()
    await dialog.get_by_label("团队").fill("north")
    await dialog.get_by_role("button", name="新建", exact=True).click()
    await expect(dialog.get_by_text("至少 12 个字符。").last).to_be_visible()
    await dialog.get_by_label("初始密码").fill(PASSWORD)
    await dialog.get_by_role("button", name="新建", exact=True).click()
    await expect(dialog).to_be_hidden()

    row = page.get_by_role("row").filter(has_text=email)
    await expect(row).to_contain_text("销售代表")
    await expect(row).to_contain_text(name)
    await expect(row).to_contain_text("north")
    async with console_platform.admin() as api:
        listed = (await api.get("/api/v1/users", params={"email": email})).json()
    assert [(u["email"], u["roles"], u["team"], u["active"]) for u in listed["items"]] == [
        (email, ["sales_rep"], "north", True)
    ]
    await screenshot(page, "settings-users")
    await page.set_viewport_size(PHONE)
    await expect(row).to_be_visible()
    await fits_the_phone(page)
    await page.set_viewport_size(DESK)

    await _sign_out(page)
    await page.get_by_label("邮箱").fill(email)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    nav = page.get_by_role("navigation", name="主菜单")
    await expect(nav.get_by_text("销售管道")).to_be_visible()
    await expect(nav.get_by_text("系统管理")).to_have_count(0)
    await page.goto("/settings/users")
    await expect(page.get_by_text("页面不存在")).to_be_visible()
    token = await login(console_platform, email, PASSWORD)
    async with console_platform.client(token) as api:
        assert (await api.get("/api/v1/users")).status_code == 403
        forced = await api.post(
            "/api/v1/users",
            json={"email": f"x{email}", "password": PASSWORD, "roles": ["admin"]},
        )
        assert forced.status_code == 403


async def test_a_deactivated_account_cannot_sign_in_and_the_audit_log_shows_it(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    admin = await new_person("admin", team=None)
    agent = await new_person("support_agent")
    await sign_in(page, admin)
    await page.goto("/settings/users")
    await page.get_by_label("邮箱开头").fill(agent.email)
    row = page.get_by_role("row").filter(has_text=agent.email)
    await row.get_by_role("button", name=f"停用 {agent.email}").click()
    await page.get_by_role("tooltip").get_by_role("button", name="停用").click()
    await expect(row).to_contain_text("停用")
    await expect(row.get_by_role("button", name=f"启用 {agent.email}")).to_be_visible()
    async with console_platform.client() as anonymous:
        refused = await anonymous.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": agent.email, "password": agent.password},
        )
    assert refused.status_code in (400, 401)

    await page.get_by_role("navigation", name="主菜单").get_by_text("审计日志").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    await page.get_by_label("路径开头").fill(f"/api/v1/users/{agent.id}")
    entry = page.get_by_role("row").filter(has_text=f"/api/v1/users/{agent.id}")
    await expect(entry).to_contain_text("PATCH")
    await expect(entry).to_contain_text("成功")
    async with console_platform.admin() as api:
        log = (
            await api.get("/api/v1/audit-log", params={"path_prefix": f"/api/v1/users/{agent.id}"})
        ).json()
    assert [item["method"] for item in log["items"]] == ["PATCH"]
    assert log["items"][0]["actor"] == admin.id
    # The actor by name (the directory's), not by user id.
    await expect(entry).to_contain_text(admin.email.split("@")[0])
    await expect(entry).not_to_contain_text(admin.id)
    violations = await axe_violations(page)
    assert violations == [], violations


async def test_an_admin_registers_a_client_whose_secret_works_and_a_webhook_with_its_log(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    admin = await new_person("admin", team=None)
    name = f"ERP {uuid.uuid4().hex[:6]}"
    await sign_in(page, admin)
    await page.goto("/settings/clients")
    await expect(page.get_by_role("heading", level=1)).to_have_text("集成客户端")
    await page.get_by_role("button", name="新建客户端").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("名称").fill(name)
    await dialog.get_by_role("button", name="新建", exact=True).click()
    secret = (await page.get_by_test_id("secret-value").inner_text()).strip()
    await page.locator(".ant-modal-footer").get_by_role("button", name="关闭").click()
    row = page.get_by_role("row").filter(has_text=name)
    await expect(row).to_contain_text("集成")
    async with console_platform.admin() as api:
        clients = (await api.get("/api/v1/integration-clients", params={"limit": 200})).json()
    client_id = next(item["client_id"] for item in clients["items"] if item["name"] == name)
    await expect(row).to_contain_text(client_id)
    async with console_platform.client() as anonymous:
        granted = await anonymous.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
            },
        )
    assert granted.status_code == 200, granted.text
    violations = await axe_violations(page)
    assert violations == [], violations

    target = f"http://127.0.0.1:9/hooks/{uuid.uuid4().hex[:6]}"
    await page.get_by_role("navigation", name="主菜单").get_by_text("Webhook").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Webhook")
    await page.get_by_role("button", name="新建订阅").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("目标 URL").fill(target)
    types = dialog.get_by_label("事件类型")
    await types.fill("crm.customer.*")
    await types.press("Enter")
    await dialog.get_by_role("button", name="新建", exact=True).click()
    await expect(page.get_by_test_id("secret-value")).to_contain_text("whsec_")
    await page.locator(".ant-modal-footer").get_by_role("button", name="关闭").click()
    row = page.get_by_role("row").filter(has_text=target)
    await expect(row).to_contain_text("crm.customer.*")
    await expect(row).to_contain_text("启用")
    violations = await axe_violations(page)
    assert violations == [], violations

    async with console_platform.admin() as api:
        created = await api.post("/api/v1/customers", json={"name": f"钩子客户{name}"})
        assert created.status_code == 201, created.text
        subscriptions = (await api.get("/api/v1/webhook-subscriptions")).json()
        subscription = next(item for item in subscriptions["items"] if item["url"] == target)
    await row.get_by_role("button", name="投递记录").click()
    drawer = page.get_by_role("dialog").filter(has_text="投递到")
    delivery = drawer.get_by_role("row").filter(has_text="crm.customer.")
    await expect(delivery.first).to_be_visible(timeout=20_000)
    async with console_platform.admin() as api:
        log = (
            await api.get(
                "/api/v1/webhook-deliveries", params={"subscription_id": subscription["id"]}
            )
        ).json()
    assert log["total"] >= 1
    assert all(item["subscription_id"] == subscription["id"] for item in log["items"])
    await expect(drawer).to_contain_text(log["items"][0]["event_type"])


async def test_an_edit_of_an_account_changed_meanwhile_is_refused_and_the_newer_shown(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    admin = await new_person("admin", team=None)
    rep = await new_person("sales_rep", team="north")
    await sign_in(page, admin)
    await page.goto("/settings/users")
    await page.get_by_label("邮箱开头").fill(rep.email)
    row = page.get_by_role("row").filter(has_text=rep.email)
    await row.get_by_role("button", name=f"编辑 {rep.email}").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("团队").fill("south")

    async with console_platform.admin() as api:
        current = (await api.get(f"/api/v1/users/{rep.id}")).json()
        changed = await api.patch(
            f"/api/v1/users/{rep.id}",
            json={"display_name": "别人改的名字"},
            headers={"If-Match": f'"{current["version"]}"'},
        )
        assert changed.status_code == 200, changed.text

    await dialog.get_by_role("button", name="保存").click()
    await expect(page.get_by_text("该记录已被他人修改")).to_be_visible()
    await expect(row).to_contain_text("别人改的名字")
    await expect(row).to_contain_text("north")
    async with console_platform.admin() as api:
        after = (await api.get(f"/api/v1/users/{rep.id}")).json()
    assert after["team"] == "north"
    assert after["display_name"] == "别人改的名字"
