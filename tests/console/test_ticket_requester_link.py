"""A ticket from the public support form, linked to its customer in the console.

Anyone can type anyone's e-mail address into the public form, so its tickets come in
from an unverified requester. An agent sees who wrote as they gave it and the customer
with that address as a suggestion, links the ticket to it after a confirmation, links
another ticket to a customer found by searching, and is told in words when a colleague
linked a ticket first; each link is compared with the API. An analyst (who reads every
ticket but may not work them) sees the requester unverified and is offered no link; a
sales rep sees the ticket only once it is linked to their customer, with no link
offered.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login

from .browser import axe_violations, screenshot
from .conftest import NewPerson, Person, SignIn

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


async def _api(platform: Platform, person: Person) -> httpx.AsyncClient:
    return platform.client(await login(platform, person.email, person.password))


def _body(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _submit_form(platform: Platform, agent: httpx.AsyncClient, **fields: str) -> str:
    """Sends the public form without a token; the id of the ticket it opened."""
    async with platform.client() as anonymous:
        receipt = _body(
            await anonymous.post(
                "/api/v1/support-forms/tickets",
                json={"description": "我想修改账户上的收货地址 请回电", **fields},
            ),
            202,
        )
    listed = _body(
        await agent.get(
            "/api/v1/tickets", params={"channel": "web", "sort": "-opened_at", "limit": 200}
        )
    )
    [ticket] = [item for item in listed["items"] if item["reference"] == receipt["reference"]]
    assert ticket["customer_id"] is None
    return str(ticket["id"])


async def test_an_agent_links_form_tickets_and_other_roles_are_offered_no_link(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    agent = await new_person("support_agent", team="north", name=f"客服{suffix}")
    analyst = await new_person("analyst", team=None, name=f"分析{suffix}")
    rep = await new_person("sales_rep", team="north", name=f"代表{suffix}")
    x_email, y_email = f"x.{suffix}@example.com", f"y.{suffix}@example.com"
    async with console_platform.admin() as admin:
        x = _body(
            await admin.post(
                "/api/v1/customers",
                json={"name": f"张三{suffix}", "email": x_email, "owner_id": rep.id},
            ),
            201,
        )
        y = _body(
            await admin.post(
                "/api/v1/customers",
                json={"name": f"李四{suffix}", "email": y_email, "owner_id": rep.id},
            ),
            201,
        )
    async with await _api(console_platform, agent) as as_agent:
        a = await _submit_form(
            console_platform, as_agent, name="张先生", email=x_email, subject=f"改地址 A{suffix}"
        )
        b = await _submit_form(
            console_platform,
            as_agent,
            name="无名氏",
            email=f"nobody.{suffix}@example.com",
            subject=f"改地址 B{suffix}",
        )
        c = await _submit_form(
            console_platform, as_agent, name="李先生", email=y_email, subject=f"改地址 C{suffix}"
        )

        async def suggested(ticket_id: str, customer_id: str) -> bool:
            context = _body(await as_agent.get(f"/api/v1/tickets/{ticket_id}/context"))
            match = context["requester_match"]
            return match is not None and match["id"] == customer_id

        # The support service learns the customers from the customer service's events.
        await wait_until(lambda: suggested(a, x["id"]), timeout=15, interval=0.2, what="x known")
        await wait_until(lambda: suggested(c, y["id"]), timeout=15, interval=0.2, what="y known")

    # The rep does not see a ticket of nobody's yet; the analyst reads it, unverified,
    # with the suggestion but no way to link.
    async with await _api(console_platform, rep) as as_rep:
        assert (await as_rep.get(f"/api/v1/tickets/{a}")).status_code == 404
    await sign_in(page, analyst)
    await page.goto(f"/support/tickets/{a}")
    requester = page.get_by_test_id("requester-link")
    await expect(requester).to_contain_text("未验证的提交人")
    await expect(requester).to_contain_text("来源公开支持表单")
    await expect(requester).to_contain_text("张先生")
    await expect(requester).to_contain_text(x_email)
    await expect(requester).to_contain_text("使用此邮箱的客户")
    await expect(requester).to_contain_text(f"张三{suffix}")
    await expect(page.get_by_role("button", name=f"关联到 张三{suffix}")).to_have_count(0)
    await expect(page.get_by_role("button", name="关联工单")).to_have_count(0)
    await expect(page.get_by_label("关联到其他客户")).to_have_count(0)

    # The agent links A to the suggested customer, after confirming.
    await page.context.clear_cookies()
    await sign_in(page, agent)
    await page.goto(f"/support/tickets/{a}")
    requester = page.get_by_test_id("requester-link")
    await expect(requester).to_contain_text("张先生")
    await requester.get_by_role("button", name=f"关联到 张三{suffix}").click()
    confirm = page.locator(".ant-popconfirm:visible")
    await expect(confirm).to_contain_text(f"将此工单关联到 张三{suffix}")
    await confirm.get_by_role("button", name="关联").click()
    await expect(page.get_by_test_id("requester-link")).to_have_count(0)
    customer_card = page.locator(".ant-card").filter(has_text="客户信息")
    await expect(customer_card).to_contain_text(f"张三{suffix}")
    async with console_platform.admin() as admin:
        linked = _body(await admin.get(f"/api/v1/tickets/{a}"))
    assert linked["customer_id"] == x["id"]

    # B (an address nobody has) to a customer found by searching.
    await page.goto(f"/support/tickets/{b}")
    requester = page.get_by_test_id("requester-link")
    await expect(requester).to_contain_text("无名氏")
    await expect(requester).not_to_contain_text("使用此邮箱的客户")
    await expect(requester.get_by_role("button", name="关联工单")).to_be_disabled()
    # Nothing is suggested, so nothing is linked or offered: a customer, not "another".
    await expect(requester.get_by_label("关联到其他客户")).to_have_count(0)
    await requester.get_by_label("关联到客户", exact=True).fill(f"李四{suffix}")
    await (
        page.locator(".ant-select-dropdown:visible")
        .get_by_title(f"李四{suffix} ({y['member_id']})", exact=True)
        .click()
    )
    await requester.get_by_role("button", name="关联工单").click()
    await expect(page.get_by_text(f"工单已关联到 李四{suffix}。")).to_be_visible()
    await expect(page.locator(".ant-card").filter(has_text="客户信息")).to_contain_text(
        f"李四{suffix}"
    )
    async with console_platform.admin() as admin:
        linked = _body(await admin.get(f"/api/v1/tickets/{b}"))
    assert linked["customer_id"] == y["id"]

    # C: a colleague links it while the agent has the page open; the agent is told so.
    await page.goto(f"/support/tickets/{c}")
    requester = page.get_by_test_id("requester-link")
    await expect(requester).to_contain_text("李先生")
    async with console_platform.admin() as admin:
        _body(await admin.put(f"/api/v1/tickets/{c}/customer", json={"customer_id": y["id"]}))
    await requester.get_by_role("button", name=f"关联到 李四{suffix}").click()
    await page.locator(".ant-popconfirm:visible").get_by_role("button", name="关联").click()
    await expect(requester.get_by_role("alert")).to_contain_text("此工单已关联客户")
    # axe reads the page once the confirmation has faded out (half-faded text fails
    # the contrast check).
    await expect(page.locator(".ant-popconfirm:visible")).to_have_count(0)
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "support-requester-link")

    # The rep of the customer now reads A, linked, with nothing to link.
    async with await _api(console_platform, rep) as as_rep:

        async def visible() -> bool:
            return (await as_rep.get(f"/api/v1/tickets/{a}")).status_code == 200

        await wait_until(visible, timeout=15, interval=0.2, what="the rep sees the ticket")
    await page.context.clear_cookies()
    await sign_in(page, rep)
    await page.goto(f"/support/tickets/{a}")
    await expect(page.locator(".ant-card").filter(has_text="客户信息")).to_contain_text(
        f"张三{suffix}"
    )
    await expect(page.get_by_test_id("requester-link")).to_have_count(0)
    await expect(page.get_by_role("button", name=f"关联到 张三{suffix}")).to_have_count(0)
