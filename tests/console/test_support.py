"""Support in the console: the ticket queue, a ticket's conversation and SLA, by role.

An agent takes a ticket in from the queue and answers it within its SLA; what the page
shows is compared with what the API returns. A sales rep (tickets:read only) reads the
tickets of their customers but is offered no reply or status change, and the API
refuses them when forced.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login, service_secrets
from support.domain.mail_signature import sign_inbound_mail

from .browser import PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, SignIn

# A shared, busy test machine: the first journey also waits for the platform to start.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


STATUS_ZH = {"new": "新建", "assigned": "已分配", "in_progress": "处理中", "resolved": "已解决"}


async def _customer(platform: Platform, **fields: object) -> dict[str, Any]:
    async with platform.admin() as admin:
        response = await admin.post(
            "/api/v1/customers", json={"name": f"客户{uuid.uuid4().hex[:6]}", **fields}
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _ticket(platform: Platform, **fields: object) -> dict[str, Any]:
    body = {
        "subject": f"打印机无法连接 {uuid.uuid4().hex[:6]}",
        "description": "客户的打印机从昨天起无法连接网络。",
        "type": "technical",
        "priority": "normal",
        "channel": "phone",
        **fields,
    }
    async with platform.admin() as admin:
        response = await admin.post("/api/v1/tickets", json=body)
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


async def _api_ticket(platform: Platform, ticket_id: str) -> dict[str, Any]:
    async with platform.admin() as admin:
        response = await admin.get(f"/api/v1/tickets/{ticket_id}")
    assert response.status_code == 200, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


async def _choose(page: Page, scope: Locator, label: str, option: str) -> None:
    """Picks an option of an Ant Design select by its label, as a mouse user does."""
    await scope.get_by_label(label, exact=True).click()
    await page.locator(".ant-select-dropdown:visible").get_by_title(option, exact=True).click()


async def test_an_agent_opens_a_ticket_from_the_queue_and_replies_within_its_sla(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    customer = await _customer(console_platform)
    agent = await new_person("support_agent", team="north")
    await sign_in(page, agent)
    await page.goto("/support/tickets")
    await expect(page.get_by_role("heading", name="工单", level=1)).to_be_visible()
    assert await axe_violations(page) == []

    subject = f"无法登录会员中心 {uuid.uuid4().hex[:6]}"
    await page.get_by_role("button", name="新建工单").click()
    dialog = page.get_by_role("dialog", name="新建工单")
    await dialog.get_by_label("客户", exact=True).fill(customer["name"])
    await page.locator(".ant-select-dropdown:visible").get_by_text(customer["name"]).click()
    await expect(dialog.get_by_label("联系人姓名")).to_have_value(customer["name"])
    await _choose(page, dialog, "类型", "技术问题")
    await _choose(page, dialog, "优先级", "高")
    await dialog.get_by_label("主题").fill(subject)
    await dialog.get_by_label("问题描述").fill("客户反馈输入正确密码后仍提示错误。")
    await dialog.get_by_role("button", name="创建工单").click()

    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_contain_text(subject)
    ticket_id = page.url.rstrip("/").split("/")[-1]
    opened = await _api_ticket(console_platform, ticket_id)
    assert opened["status"] == "new"
    assert opened["customer_id"] == customer["id"]
    assert (opened["type"], opened["priority"]) == ("technical", "high")
    await expect(page.locator("main [data-status]").first).to_have_text(STATUS_ZH["new"])
    await expect(page.get_by_text("剩余").first).to_be_visible()

    reply = "您好。我们已重置您的登录状态。请再试一次。"
    await page.get_by_label("回复").fill(reply)
    await page.get_by_role("button", name="发送回复").click()
    await expect(page.get_by_role("listitem").filter(has_text=reply)).to_be_visible()

    answered = await _api_ticket(console_platform, ticket_id)
    agent_replies = [m for m in answered["messages"] if m["author_kind"] == "agent"]
    assert [m["body"] for m in agent_replies] == [reply]
    assert agent_replies[0]["author_id"] == agent.id
    first_response = datetime.fromisoformat(answered["first_response_at"]) - datetime.fromisoformat(
        answered["opened_at"]
    )
    clock = answered["sla"]["first_response"]
    assert first_response.total_seconds() <= clock["target_seconds"]
    assert clock["breached"] is False
    assert clock["running"] is False
    # The page shows what the API says: the status, the first-response clock met.
    await expect(page.locator("main [data-status]").first).to_have_text(
        STATUS_ZH[answered["status"]]
    )
    assert answered["status"] == "in_progress"
    await expect(page.locator("[data-sla='met']")).to_have_text("已达标")
    await expect(page.get_by_test_id("first-response-time")).not_to_have_text("尚未回复")
    assert await axe_violations(page) == []
    await screenshot(page, "support-ticket")

    await page.get_by_role("button", name="返回工单列表").click()
    row = page.get_by_role("row").filter(has_text=subject)
    await expect(row).to_contain_text(STATUS_ZH["in_progress"])
    await expect(page.locator(".ant-spin-spinning, .ant-spin-blur")).to_have_count(0)
    await screenshot(page, "support-queue")


async def test_an_agent_replies_and_resolves_by_keyboard_only(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    ticket = await _ticket(console_platform)
    agent = await new_person("support_agent", team="north")
    await sign_in(page, agent)
    await page.goto(f"/support/tickets/{ticket['id']}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ticket["subject"])

    async def tab_to(locator_description: str, is_there: str) -> None:
        for _ in range(80):
            await page.keyboard.press("Tab")
            if await page.evaluate(is_there):
                return
        raise AssertionError(f"Tab never reached {locator_description}")

    await tab_to("the reply", "() => document.activeElement?.tagName === 'TEXTAREA'")
    reply = "已收到。我们正在处理。"
    await page.keyboard.type(reply)
    await tab_to(
        "the send button",
        "() => document.activeElement?.textContent?.includes('发送回复') ?? false",
    )
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("listitem").filter(has_text=reply)).to_be_visible()
    await expect(page.locator("main [data-status]").first).to_have_text("处理中")

    await tab_to(
        "the resolve button",
        "() => document.activeElement?.textContent?.includes('标记为已解决') ?? false",
    )
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="将状态改为“已解决”")
    await expect(dialog).to_be_visible()
    await tab_to("the note", "() => document.activeElement?.id === 'transition-note'")
    await page.keyboard.type("客户确认已恢复")
    await tab_to(
        "the confirm button",
        "() => document.activeElement?.textContent?.includes('更改状态') ?? false",
    )
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()
    await expect(page.locator("main [data-status]").first).to_have_text("已解决")

    stored = await _api_ticket(console_platform, ticket["id"])
    assert stored["status"] == "resolved"
    assert [m["body"] for m in stored["messages"] if m["author_kind"] == "agent"] == [reply]
    assert stored["history"][-1]["note"] == "客户确认已恢复"
    assert stored["history"][-1]["actor_id"] == agent.id


async def test_a_rep_reads_their_customers_tickets_but_cannot_answer_or_move_them(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep", team="north")
    customer = await _customer(console_platform, owner_id=rep.id)
    ticket = await _ticket(console_platform, customer_id=customer["id"])
    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as as_rep:

        async def visible() -> bool:
            response = await as_rep.get(f"/api/v1/tickets/{ticket['id']}")
            return response.status_code == 200

        # The support service learns who owns the customer from the customer's events.
        await wait_until(visible, timeout=15, interval=0.2, what="the rep sees the ticket")
        await sign_in(page, rep)
        await page.goto("/support/tickets")
        await expect(page.get_by_role("heading", name="工单", level=1)).to_be_visible(
            timeout=15_000
        )
        await expect(page.get_by_role("row").filter(has_text=ticket["subject"])).to_be_visible()
        await expect(page.get_by_role("button", name="新建工单")).to_have_count(0)

        await page.get_by_role("link", name=ticket["reference"]).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(ticket["subject"])
        await expect(page.get_by_text(ticket["description"]).first).to_be_visible()
        await expect(page.get_by_label("回复")).to_have_count(0)
        await expect(page.get_by_role("button", name="发送回复")).to_have_count(0)
        await expect(page.get_by_role("button", name="分配给我")).to_have_count(0)
        await expect(page.get_by_role("heading", name="操作")).to_have_count(0)

        forced: list[httpx.Response] = [
            await as_rep.post(
                f"/api/v1/tickets/{ticket['id']}/messages", json={"body": "我来回复"}
            ),
            await as_rep.post(
                f"/api/v1/tickets/{ticket['id']}/transitions", json={"to": "resolved"}
            ),
            await as_rep.post("/api/v1/tickets", json={"subject": "x", "description": "y"}),
        ]
        await page.goto("/support/knowledge")
        await expect(page.get_by_role("heading", name="知识库", level=1)).to_be_visible()
        await expect(page.get_by_role("button", name="新建文章")).to_have_count(0)
    assert [response.status_code for response in forced] == [403, 403, 403]
    assert (await _api_ticket(console_platform, ticket["id"]))["messages"][1:] == []


async def test_the_queue_filters_and_is_a_list_on_a_phone(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    urgent = await _ticket(console_platform, priority="urgent", type="billing")
    agent = await new_person("support_agent", team="north")
    await page.set_viewport_size(PHONE)
    await sign_in(page, agent)
    await page.goto("/support/tickets?priority=urgent&type=billing")
    card = page.get_by_role("listitem").filter(has_text=urgent["reference"])
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("紧急")
    await expect(card).to_contain_text("首次响应")
    async with console_platform.admin() as admin:
        listed = await admin.get(
            "/api/v1/tickets", params={"priority": "urgent", "type": "billing", "limit": 20}
        )
    shown = await page.locator("[role=listitem] a").all_inner_texts()
    expected = [item["reference"] for item in listed.json()["items"]]
    assert [text.split(" · ")[0] for text in shown] == expected
    assert await axe_violations(page) == []

    await card.get_by_role("link").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(urgent["subject"])
    await expect(page.get_by_role("button", name="发送回复")).to_be_visible()
    await fits_the_phone(page)
    assert await axe_violations(page) == []


async def test_an_agent_writes_an_article_and_finds_it_by_searching(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    agent = await new_person("support_agent", team="north")
    await sign_in(page, agent)
    await page.goto("/support/knowledge")
    await expect(page.get_by_role("heading", name="知识库", level=1)).to_be_visible()
    word = f"路由器{uuid.uuid4().hex[:6]}"
    await page.get_by_role("button", name="新建文章").click()
    await page.get_by_label("标题").fill(f"{word} 重置步骤")
    await page.get_by_label("分类").fill("网络")
    await _choose(page, page.locator("form"), "状态", "已发布")
    await page.get_by_label("正文").fill(f"按住 {word} 背面的复位键 10 秒。等待指示灯闪烁。")
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"{word} 重置步骤")
    article_id = page.url.rstrip("/").split("/")[-1]

    await page.get_by_role("button", name="返回知识库").click()
    await page.get_by_label("搜索知识库").fill(word)
    await page.get_by_label("搜索知识库").press("Enter")
    results = page.get_by_role("list", name="知识库").get_by_role("listitem")
    await expect(results.first).to_contain_text(f"{word} 重置步骤")
    async with console_platform.admin() as admin:
        found = await admin.get("/api/v1/knowledge-articles/search", params={"q": word})
    assert [hit["article"]["id"] for hit in found.json()] == [article_id]
    assert found.json()[0]["article"]["status"] == "published"
    await expect(results).to_have_count(1)
    assert await axe_violations(page) == []


async def test_a_manager_sees_the_service_kpis_the_api_reports(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    manager = await new_person("sales_manager", team="north")
    await sign_in(page, manager)
    await page.goto("/support/surveys")
    await expect(page.get_by_role("heading", name="满意度与指标", level=1)).to_be_visible()
    summary = page.get_by_text("新建工单")
    await expect(summary).to_be_visible()
    async with console_platform.admin() as admin:
        kpis = (await admin.get("/api/v1/support-kpis")).json()["overall"]
    await expect(summary).to_contain_text(f"新建工单 {kpis['tickets']} 个")
    await expect(summary).to_contain_text(f"已解决 {kpis['resolved']} 个")
    await expect(page.get_by_text("平均首次响应时间")).to_be_visible()
    assert await axe_violations(page) == []

    # The same screens in English, every string translated (the page fixture checks).
    await page.get_by_text("EN", exact=True).click()
    await expect(page.get_by_role("heading", name="Surveys & KPIs", level=1)).to_be_visible()
    await expect(page.get_by_text("Average first response")).to_be_visible()
    await page.goto("/support/tickets")
    await expect(page.get_by_role("heading", name="Tickets", level=1)).to_be_visible()


async def test_a_ticket_under_a_built_in_sla_policy_names_it_in_chinese(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    """No administrator wrote a policy for a normal customer's high-priority ticket, so
    the built-in one applies; the service names it "Default NORMAL high", which the
    page says in the reader's words: the tier and priority as every other label."""
    ticket = await _ticket(console_platform, priority="high")
    assert ticket["sla"]["policy_id"] == "default-normal-high"
    agent = await new_person("support_agent", team="north")
    await sign_in(page, agent)
    await page.goto(f"/support/tickets/{ticket['id']}")
    sla = page.locator(".ant-card").filter(has_text="服务时限（SLA）")  # noqa: RUF001
    await expect(sla).to_contain_text("SLA 策略默认策略（普通客户 · 高优先级）")  # noqa: RUF001
    await expect(sla).not_to_contain_text("Default")
    await expect(sla).not_to_contain_text("NORMAL")


async def _mail_in(platform: Platform, sender: str, subject: str) -> str:
    """A mail to the support address, as the mail provider's signed webhook posts it;
    the id of the ticket it opened."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@crm.example.org"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.net>"
    message.set_content("我的订单一直没有发货 请帮忙查一下")
    raw = bytes(message)
    timestamp = int(time.time())
    secret = service_secrets("support", platform.keys)["inbound_email_secret"]
    async with platform.client() as anonymous:
        response = await anonymous.post(
            "/api/v1/inbound-email",
            content=raw,
            headers={
                "Content-Type": "message/rfc822",
                "X-Signature-Timestamp": str(timestamp),
                "X-Signature": sign_inbound_mail(secret, timestamp, raw),
            },
        )
    assert response.status_code == 201, response.text
    return str(response.json()["ticket_id"])


async def test_a_phone_ticket_without_a_customer_says_who_entered_it_in_chinese(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    """An agent enters a phone call from someone no customer record matches yet: a
    colleague reads that it came by phone, entered by that agent, with no "unverified
    requester" warning (the agent spoke with them), an offer to link it to a customer
    (not "another" one). A mail from an unknown address is still marked unverified, as
    mail."""
    suffix = uuid.uuid4().hex[:6]
    caller_agent = await new_person("support_agent", team="north", name=f"接线员{suffix}")
    colleague = await new_person("support_agent", team="north", name=f"同事{suffix}")
    token = await login(console_platform, caller_agent.email, caller_agent.password)
    async with console_platform.client(token) as api:
        response = await api.post(
            "/api/v1/tickets",
            json={
                "subject": f"来电咨询退货 {suffix}",
                "description": "来电询问退货流程。",
                "type": "billing",
                "priority": "high",
                "channel": "phone",
                "requester_name": f"王先生{suffix}",
                "requester_email": f"wang.{suffix}@example.com",
            },
        )
    assert response.status_code == 201, response.text
    entered = response.json()
    assert entered["customer_id"] is None
    assert entered["history"][0]["actor_id"] == caller_agent.id

    await sign_in(page, colleague)
    await page.goto(f"/support/tickets/{entered['id']}")
    requester = page.get_by_test_id("requester-link")
    await expect(requester).to_contain_text(f"电话，由 接线员{suffix} 录入")  # noqa: RUF001
    await expect(requester).to_contain_text(f"王先生{suffix}")
    await expect(requester).not_to_contain_text("未验证的提交人")
    await expect(requester).not_to_contain_text("公开支持表单")
    await expect(requester.get_by_label("关联到客户", exact=True)).to_be_visible()
    await expect(requester.get_by_label("关联到其他客户")).to_have_count(0)
    assert await axe_violations(page) == []

    mailed = await _mail_in(
        console_platform, f"Nobody <nobody.{suffix}@example.net>", f"发货查询 {suffix}"
    )
    await page.goto(f"/support/tickets/{mailed}")
    requester = page.get_by_test_id("requester-link")
    await expect(requester).to_contain_text("未验证的提交人")
    await expect(requester).to_contain_text("发往客服邮箱的邮件")
    await expect(requester).to_contain_text("通过邮件提交")
    await expect(requester).not_to_contain_text("公开支持表单")
    await expect(requester.get_by_label("关联到客户", exact=True)).to_be_visible()
