"""Home in the console: each role's first screen shows their own work, from the API.

A sales rep sees the task due today and the overdue one, their new lead and their open
pipeline, and goes from the count of overdue tasks to just those; a manager sees the
deals the sales service marked stalled (and only those) with how long, and goes from
there to the board filtered to them; a support agent sees the ticket in their queue
with its SLA clock. What the page shows is compared with what the API returns for the
same person.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_e2e import journeys
from crm_e2e.harness import Platform, login

from .browser import PHONE, axe_violations, screenshot
from .clock import WAITS_FOR_THE_NEW_DAY, due_later_today
from .conftest import NewPerson, Person, SignIn, Stall

pytestmark = pytest.mark.e2e


async def _client(platform: Platform, person: Person) -> httpx.AsyncClient:
    return platform.client(await login(platform, person.email, person.password))


async def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@WAITS_FOR_THE_NEW_DAY
async def test_a_rep_sees_their_tasks_due_today_new_leads_and_pipeline(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    name = f"代表{uuid.uuid4().hex[:4]}"
    rep = await new_person("sales_rep", name=name)
    due_today = await due_later_today()
    now = datetime.now(UTC)
    suffix = uuid.uuid4().hex[:6]
    async with await _client(console_platform, rep) as api:
        today = await _created(
            await api.post(
                "/api/v1/tasks",
                json={
                    "title": f"回电客户 {suffix}",
                    "kind": "call",
                    "priority": "high",
                    "assignee_id": rep.id,
                    "due_at": due_today.isoformat(),
                },
            )
        )
        overdue = await _created(
            await api.post(
                "/api/v1/tasks",
                json={
                    "title": f"发送报价 {suffix}",
                    "kind": "email",
                    "priority": "normal",
                    "assignee_id": rep.id,
                    "due_at": (now - timedelta(days=1)).isoformat(),
                },
            )
        )
        lead = await _created(
            await api.post(
                "/api/v1/leads",
                json={"name": f"线索 {suffix}", "source_channel": "web", "visits": 0},
            )
        )
        customer_id = await journeys.create_customer(
            api, f"客户 {suffix}", f"home.{suffix}@example.com"
        )
        await _created(
            await journeys.post_for_customer(
                api,
                "/api/v1/opportunities",
                {"name": f"商机 {suffix}", "customer_id": customer_id, "amount": "1234.00"},
            )
        )
        listed = (
            await api.get("/api/v1/tasks", params={"assignee_id": rep.id, "status": "open"})
        ).json()
        forecast = (await api.get("/api/v1/forecasts", params={"owner_id": rep.id})).json()
    assert {task["task_id"] for task in listed["items"]} == {today["task_id"], overdue["task_id"]}
    assert lead["owner_id"] == rep.id

    await sign_in(page, rep)
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_contain_text(name)
    tasks = page.get_by_test_id("home-tasks")
    await expect(tasks.get_by_role("link", name=today["title"])).to_be_visible()
    late = tasks.locator(".ant-list-item").filter(has_text=overdue["title"])
    await expect(late.get_by_text("已逾期")).to_be_visible()
    await expect(
        tasks.locator(".ant-list-item").filter(has_text=today["title"]).get_by_text("今天")
    ).to_be_visible()
    all_tasks = tasks.get_by_role("link", name="全部任务")
    await expect(all_tasks).to_have_attribute("href", "/sales/tasks")

    leads = page.get_by_test_id("home-leads")
    await expect(leads.get_by_role("link", name=lead["name"])).to_have_attribute(
        "href", "/sales/leads"
    )

    pipeline = page.get_by_test_id("home-pipeline")
    row = forecast["rows"][0]
    assert row["pipeline_amount"] in ("1234.00", "1234")
    await expect(pipeline).to_contain_text("1,234.00")
    weighted = f"{float(row['weighted_amount']):,.2f}"
    await expect(pipeline).to_contain_text(weighted)

    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "home-rep")

    await page.set_viewport_size(PHONE)
    await expect(tasks.get_by_role("link", name=today["title"])).to_be_in_viewport()

    # From the count the service gives to the overdue tasks alone.
    await tasks.get_by_role("link", name="查看全部 1 项逾期任务").click()
    await expect(page).to_have_url(re.compile(r"/sales/tasks\?view=overdue$"))
    listed_now = page.locator(".ant-list-item")
    await expect(listed_now.filter(has_text=overdue["title"])).to_be_visible()
    await expect(listed_now.filter(has_text=today["title"])).to_have_count(0)


async def test_an_agent_sees_their_queue_with_the_sla_clock(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    agent = await new_person("support_agent", team="north")
    async with await _client(console_platform, agent) as api:
        ticket = await _created(
            await api.post(
                "/api/v1/tickets",
                json={
                    "subject": f"无法登录会员中心 {uuid.uuid4().hex[:6]}",
                    "description": "客户反馈无法登录会员中心。",
                    "type": "technical",
                    "priority": "high",
                    "channel": "email",
                    "requester_email": "member@example.com",
                },
            )
        )
        assigned = await api.post(
            f"/api/v1/tickets/{ticket['id']}/assignment", json={"assignee_id": agent.id}
        )
        assert assigned.status_code == 200, assigned.text
        queue = (
            await api.get(
                "/api/v1/tickets",
                params={"assignee_id": agent.id, "status": ["assigned", "new", "in_progress"]},
            )
        ).json()
        breaches = (
            await api.get("/api/v1/tickets", params={"assignee_id": agent.id, "sla_breached": True})
        ).json()
    assert [item["id"] for item in queue["items"]] == [ticket["id"]]
    sla = queue["items"][0]["sla"]
    assert sla["first_response"]["running"]
    assert sla["first_response"]["due_at"]

    await sign_in(page, agent)
    card = page.get_by_test_id("home-queue")
    link = card.get_by_role("link", name=ticket["subject"], exact=False)
    await expect(link).to_have_attribute("href", f"/support/tickets/{ticket['id']}")
    item = card.locator(".ant-list-item").filter(has_text=ticket["subject"])
    await expect(item).to_contain_text("首次响应截止")
    expected_state = "SLA 已违约" if sla["first_response"]["breached"] else "正常"
    if sla["first_response"]["warned"] and not sla["first_response"]["breached"]:
        expected_state = "SLA 即将到期"
    await expect(item.get_by_text(expected_state)).to_be_visible()
    await expect(item.get_by_text("高", exact=True)).to_be_visible()
    open_figure = card.locator(".ant-statistic").filter(has_text="未结工单")
    await expect(open_figure).to_contain_text(str(queue["total"]))
    breach_figure = card.locator(".ant-statistic").filter(has_text="SLA 违约")
    await expect(breach_figure).to_contain_text(str(breaches["total"]))

    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "home-agent")


async def test_a_manager_who_also_markets_sees_the_team_pipeline_and_campaigns(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn, stall: Stall
) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    rep = await new_person("sales_rep", team=team)
    manager = await new_person("sales_manager", "marketer", team=team)
    async with await _client(console_platform, rep) as api:
        suffix = uuid.uuid4().hex[:8]
        customer_id = await journeys.create_customer(
            api, f"团队客户 {suffix}", f"team.{suffix}@example.com"
        )
        deal = await _created(
            await journeys.post_for_customer(
                api,
                "/api/v1/opportunities",
                {"name": "团队商机", "customer_id": customer_id, "amount": "5000.00"},
            )
        )
        quiet = await _created(
            await journeys.post_for_customer(
                api,
                "/api/v1/opportunities",
                {"name": f"搁置商机 {suffix}", "customer_id": customer_id, "amount": "3000.00"},
            )
        )
    await stall(quiet["opportunity_id"], 2)
    async with await _client(console_platform, manager) as api:
        deals = (
            await api.get("/api/v1/opportunities", params={"status": "open", "team": team})
        ).json()
        stalled = (
            await api.get("/api/v1/opportunities", params={"team": team, "stalled": "true"})
        ).json()
        pipelines = (await api.get("/api/v1/pipelines")).json()
        running = (await api.get("/api/v1/campaigns", params={"status": "running"})).json()
    assert {item["opportunity_id"] for item in deals["items"]} == {
        deal["opportunity_id"],
        quiet["opportunity_id"],
    }
    assert [item["opportunity_id"] for item in stalled["items"]] == [quiet["opportunity_id"]]
    stage_name = next(
        stage["name"]
        for pipeline in pipelines
        for stage in pipeline["stages"]
        if stage["key"] == deal["stage"]
    )

    await sign_in(page, manager)
    by_stage = page.get_by_test_id("home-team-pipeline")
    row = by_stage.get_by_role("row").filter(has_text=stage_name)
    await expect(row).to_contain_text("8,000.00")
    await expect(row.get_by_role("cell").nth(1)).to_have_text("2")
    # Stalled deals: the service's, not worked out here; how long, and to the deal.
    card = page.get_by_test_id("home-stalled")
    await expect(card).to_contain_text("团队共 1 个停滞商机")
    await expect(card.locator(".ant-list-item")).to_have_count(1)
    item = card.locator(".ant-list-item").filter(has_text=quiet["name"])
    await expect(item.get_by_role("link", name=quiet["name"])).to_have_attribute(
        "href", f"/sales/opportunities/{quiet['opportunity_id']}"
    )
    await expect(item.locator("[data-stalled-since]")).to_have_text("停滞 2 天")
    await expect(card).not_to_contain_text("团队商机")
    await expect(page.get_by_test_id("home-team-performance")).to_be_visible()
    campaigns = page.get_by_test_id("home-campaigns")
    if running["total"] == 0:
        await expect(campaigns).to_contain_text("没有正在进行的营销活动。")
    else:
        await expect(campaigns.locator("tbody tr")).to_have_count(min(running["total"], 6))
    violations = await axe_violations(page)
    assert violations == [], violations

    # The card's link opens the board filtered to the stalled deals.
    await card.get_by_role("link", name="在销售管道中查看停滞商机").click()
    await expect(page).to_have_url(re.compile(r"/sales/pipeline\?stalled=1$"))
    await expect(page.get_by_role("checkbox", name="只看停滞商机")).to_be_checked()
    board = page.get_by_role("main")
    await expect(board.get_by_role("article", name=quiet["name"])).to_be_visible()
    await expect(board.get_by_role("article", name="团队商机")).to_have_count(0)
