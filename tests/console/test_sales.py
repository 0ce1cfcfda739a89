# ruff: noqa: RUF001  (the Chinese labels use full-width punctuation)
"""Sales in the console: a rep's day from a new lead to a won deal, on a desk and a phone.

A sales rep enters a lead, converts it in one step, finds the deal on the pipeline
board, drags it to the next stage and moves it to won through the stage gate's dialog;
the API then reports the opportunity won with what the dialog asked for. A deal changed
by someone else meanwhile is not overwritten: the board shows the newer version. A role
without sales:write is offered no move, and the API refuses one when forced. A deal the
sales service marked stalled says for how long on the board and since when on its page,
and "stalled only" narrows the board to it; "overdue" narrows my tasks to the overdue
one, which says so in words beside its red due time. A task whose reminder went out or
that someone edited while the list was open is still completed with one tap, keeping the
edit; one completed elsewhere meanwhile is shown done, not completed twice.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from crm_e2e import journeys
from crm_e2e.harness import Platform, login

from .browser import DESK, PHONE, axe_violations, fits_the_phone, screenshot
from .clock import WAITS_FOR_THE_NEW_DAY, due_later_today, local_today
from .conftest import NewPerson, Person, SignIn, Stall

pytestmark = pytest.mark.e2e

QUALIFIED = "已确认线索"
LEAD_GENERATED = "线索生成"
WON = "赢单（已签约）"


async def _client(platform: Platform, person: Person) -> httpx.AsyncClient:
    return platform.client(await login(platform, person.email, person.password))


async def _own_customer(api: httpx.AsyncClient) -> str:
    """A new customer of the caller's: a rep may open deals only on customers they own."""
    suffix = uuid.uuid4().hex[:8]
    return await journeys.create_customer(api, f"客户 {suffix}", f"c.{suffix}@example.com")


def _body(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _column(page: Page, stage: str) -> Locator:
    return page.get_by_role("region", name=stage)


def _card(page: Page, stage: str, deal: str) -> Locator:
    return _column(page, stage).get_by_role("article", name=deal)


async def _drag(page: Page, handle: Locator, target: Locator) -> None:
    """A person's drag: press on the handle, move in steps, release over the column."""
    await handle.scroll_into_view_if_needed()
    start = await handle.bounding_box()
    end = await target.bounding_box()
    assert start is not None
    assert end is not None
    await page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(start["x"] + 20, start["y"] + 10, steps=5)
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 120, steps=15)
    await page.mouse.up()


async def _new_lead_and_convert(page: Page, lead_name: str, company: str) -> None:
    """The lead inbox: a new lead by hand, then its one-step conversion."""
    await page.goto("/sales/leads")
    await expect(page.get_by_role("heading", name="线索", level=1)).to_be_visible()
    await page.get_by_role("button", name="新建线索").click()
    form = page.get_by_role("dialog", name="新建线索")
    await form.get_by_label("姓名", exact=True).fill(lead_name)
    await form.get_by_label("公司", exact=True).fill(company)
    await form.get_by_role("button", name="新建", exact=True).click()
    await expect(form).to_be_hidden()
    await page.get_by_role("button", name=f"转化 {lead_name}").click()
    dialog = page.get_by_role("dialog", name="转化线索")
    await expect(dialog.get_by_label("商机名称")).to_have_value(company)
    await dialog.get_by_label("金额").fill("50000")
    await dialog.get_by_role("button", name="转化", exact=True).click()
    await dialog.get_by_role("button", name="打开商机").click()
    await expect(page.get_by_role("heading", name=company, level=1)).to_be_visible()


async def test_a_rep_converts_a_lead_and_drags_the_deal_to_won_through_the_gate(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    rep = await new_person("sales_rep", name=f"销售代表{suffix}")
    lead_name, deal = f"王经理 {suffix}", f"华东制造 {suffix}"
    await sign_in(page, rep)

    await _new_lead_and_convert(page, lead_name, deal)
    opportunity_id = page.url.rsplit("/", 1)[1]
    async with await _client(console_platform, rep) as api:
        leads = _body(await api.get("/api/v1/leads", params={"limit": 200}))
        lead = next(item for item in leads["items"] if item["name"] == lead_name)
        assert lead["status"] == "converted"
        assert lead["opportunity_id"] == opportunity_id
    await page.goto("/sales/leads")
    row = page.get_by_role("row").filter(has_text=lead_name)
    await expect(row.get_by_text("已转化")).to_be_visible()
    await expect(row.get_by_role("link", name="打开商机")).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "sales-leads")

    # The board: the new deal in the first stage, dragged to the next one.
    await page.goto("/sales/pipeline")
    card = _card(page, LEAD_GENERATED, deal)
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("¥50,000.00")
    await expect(card).to_contain_text("负责人：我")
    await _drag(
        page, card.get_by_role("button", name=f"拖动 {deal} 到其他阶段"), _column(page, QUALIFIED)
    )
    await expect(_card(page, QUALIFIED, deal)).to_be_visible()
    await expect(page.get_by_text(f"{deal} 已移至{QUALIFIED}。")).to_be_visible()
    async with await _client(console_platform, rep) as api:
        moved = _body(await api.get(f"/api/v1/opportunities/{opportunity_id}"))
    assert moved["stage"] == "qualified"
    await screenshot(page, "sales-pipeline")

    # Straight to won: the gates of the stages in between ask for their fields.
    card = _card(page, QUALIFIED, deal)
    await card.get_by_role("button", name=f"移至阶段：{deal}").click()
    await page.get_by_role("menuitem", name=WON).click()
    gate = page.get_by_role("dialog", name=f"进入{WON}前")
    await gate.get_by_label("客户需求").fill("三条产线的排产系统")
    await gate.get_by_label("决策人").fill("李总")
    await gate.get_by_label("预计成交日期").fill("2027-01-31")
    await gate.get_by_label("预计成交日期").press("Enter")
    await gate.get_by_label("合同编号").fill(f"HT-{suffix}")
    await gate.get_by_role("button", name="保存并移动").click()
    await expect(gate).to_be_hidden()
    await expect(_card(page, WON, deal)).to_be_visible()
    async with await _client(console_platform, rep) as api:
        won = _body(await api.get(f"/api/v1/opportunities/{opportunity_id}"))
    assert (won["stage"], won["status"]) == ("won", "won")
    assert (won["contract_number"], won["decision_maker"]) == (f"HT-{suffix}", "李总")
    assert won["expected_close"] == "2027-01-31"
    column = _column(page, WON)
    await expect(column).to_contain_text("¥50,000.00")
    assert await axe_violations(page) == []

    # The opportunity's page: its stages with their times, as the API keeps them.
    await card_link(page, deal).click()
    await expect(page.get_by_role("heading", name=deal, level=1)).to_be_visible()
    history = page.get_by_role("region", name="阶段历史")
    for change in won["stage_history"][1:]:
        await expect(page.locator(f"time[datetime='{change['changed_at']}']")).to_have_count(1)
    await expect(history).to_contain_text(f"{QUALIFIED} → {WON}")
    await expect(history).to_contain_text(f"{LEAD_GENERATED} → {QUALIFIED}")
    await expect(page.get_by_text("HT-" + suffix)).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "sales-opportunity")


def card_link(page: Page, deal: str) -> Locator:
    return _card(page, WON, deal).get_by_role("link", name=deal)


@WAITS_FOR_THE_NEW_DAY
async def test_on_a_phone_the_rep_moves_a_deal_with_the_menu_and_sees_todays_tasks(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    lead_name, deal = f"赵女士 {suffix}", f"西部物流 {suffix}"
    await page.set_viewport_size(PHONE)
    await sign_in(page, rep)
    await _new_lead_and_convert(page, lead_name, deal)

    await page.goto("/sales/pipeline")
    card = _card(page, LEAD_GENERATED, deal)
    await expect(card).to_be_visible()
    await expect(card.get_by_role("button", name=f"拖动 {deal} 到其他阶段")).to_have_count(0)
    await card.get_by_role("button", name=f"移至阶段：{deal}").click()
    await page.get_by_role("menuitem", name=QUALIFIED).click()
    await expect(_card(page, QUALIFIED, deal)).to_be_visible()
    async with await _client(console_platform, rep) as api:
        mine = _body(await api.get("/api/v1/opportunities", params={"limit": 200}))
    assert [item["stage"] for item in mine["items"] if item["name"] == deal] == ["qualified"]

    # A task due later today, made just before the list is opened.
    due = await due_later_today()
    async with await _client(console_platform, rep) as api:
        task = _body(
            await api.post(
                "/api/v1/tasks",
                json={
                    "title": f"拜访西部物流 {suffix}",
                    "kind": "visit",
                    "priority": "high",
                    "due_at": due.isoformat(),
                },
            ),
            201,
        )
    await page.goto("/sales/tasks")
    today = page.get_by_role("region", name="今天（1）")
    await expect(today).to_contain_text(task["title"])
    await today.get_by_role("button", name=f"完成 {task['title']}").click()
    await expect(page.get_by_text(f"{task['title']} 已完成。")).to_be_visible()
    async with await _client(console_platform, rep) as api:
        done = _body(await api.get(f"/api/v1/tasks/{task['task_id']}"))
    assert done["status"] == "done"
    await fits_the_phone(page)


async def test_a_deal_changed_meanwhile_is_shown_newer_and_not_overwritten(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    deal = f"并发商机 {uuid.uuid4().hex[:6]}"
    async with await _client(console_platform, rep) as api:
        customer_id = await _own_customer(api)
        created = await journeys.post_for_customer(
            api,
            "/api/v1/opportunities",
            {
                "name": deal,
                "customer_id": customer_id,
                "contact_id": "contact-conflict",
                "amount": "8000.00",
            },
        )
        opportunity = _body(created, 201)
    await sign_in(page, rep)
    await page.goto("/sales/pipeline")
    card = _card(page, LEAD_GENERATED, deal)
    await expect(card).to_be_visible()

    # A colleague's edit lands after the board was read.
    async with await _client(console_platform, rep) as api:
        _body(
            await api.patch(
                f"/api/v1/opportunities/{opportunity['opportunity_id']}",
                json={"name": f"{deal} 新版", "amount": "9000.00"},
                headers={"If-Match": created.headers["ETag"]},
            )
        )
    await card.get_by_role("button", name=f"移至阶段：{deal}").click()
    await page.get_by_role("menuitem", name=QUALIFIED).click()
    await expect(page.get_by_text("该记录已被他人修改，现显示最新版本。")).to_be_visible()
    newer = _card(page, LEAD_GENERATED, f"{deal} 新版")
    await expect(newer).to_be_visible()
    await expect(newer).to_contain_text("¥9,000.00")
    async with await _client(console_platform, rep) as api:
        kept = _body(await api.get(f"/api/v1/opportunities/{opportunity['opportunity_id']}"))
    assert (kept["stage"], kept["name"], kept["amount"]) == (
        "lead_generated",
        f"{deal} 新版",
        "9000.00",
    )


async def test_an_analyst_sees_the_board_but_is_offered_no_move(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    analyst = await new_person("analyst")
    deal = f"只读商机 {uuid.uuid4().hex[:6]}"
    async with await _client(console_platform, rep) as api:
        customer_id = await _own_customer(api)
        created = _body(
            await journeys.post_for_customer(
                api,
                "/api/v1/opportunities",
                {"name": deal, "customer_id": customer_id, "amount": "1000.00"},
            ),
            201,
        )
    await sign_in(page, analyst)
    await page.goto("/sales/pipeline")
    card = _card(page, LEAD_GENERATED, deal)
    await expect(card).to_be_visible()
    await expect(card.get_by_role("button")).to_have_count(0)
    async with await _client(console_platform, analyst) as api:
        forced = await api.put(
            f"/api/v1/opportunities/{created['opportunity_id']}/stage",
            json={"stage": "lost", "reason": "forced"},
            headers={"If-Match": f'"{created["version"]}"'},
        )
    assert forced.status_code == 403

    # The read-only screens open for a reader of the whole pipeline.
    await page.goto("/sales/forecast")
    await expect(page.get_by_role("heading", name="销售预测", level=1)).to_be_visible()
    await expect(page.locator("canvas")).to_have_count(1)
    await page.goto("/sales/quotes")
    await expect(page.get_by_role("heading", name="报价", level=1)).to_be_visible()
    await page.goto("/sales/orders")
    await expect(page.get_by_role("heading", name="订单与发票", level=1)).to_be_visible()
    await page.get_by_role("tab", name="发票").click()
    await expect(page.get_by_role("columnheader", name="发票号")).to_be_visible()


async def test_the_forecast_names_deals_without_a_close_date_in_the_readers_language(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    analyst = await new_person("analyst")
    async with await _client(console_platform, rep) as api:
        customer_id = await _own_customer(api)
        _body(
            await journeys.post_for_customer(
                api,
                "/api/v1/opportunities",
                {
                    "name": f"未定日期商机 {uuid.uuid4().hex[:6]}",
                    "customer_id": customer_id,
                    "amount": "3000.00",
                },
            ),
            201,
        )
    await sign_in(page, analyst)
    await page.goto("/sales/forecast")
    await expect(page.get_by_role("heading", name="销售预测", level=1)).to_be_visible()
    table = page.get_by_role("table")
    await expect(table.get_by_role("cell", name="未排期", exact=True).first).to_be_visible()
    await expect(table).not_to_contain_text("unscheduled")
    # The chart's axis: ECharts describes the drawn categories in its aria-label.
    chart = page.get_by_role("img", name="销售预测").locator("[aria-label]")
    await expect(chart).to_have_attribute("aria-label", re.compile("未排期"))
    assert "unscheduled" not in (await chart.get_attribute("aria-label") or "")


async def test_stalled_only_narrows_the_board_to_the_stalled_deal_which_says_since_when(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn, stall: Stall
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    quiet, busy = f"搁置项目 {suffix}", f"推进项目 {suffix}"
    made: dict[str, dict[str, Any]] = {}
    async with await _client(console_platform, rep) as api:
        customer_id = await _own_customer(api)
        for name in (quiet, busy):
            made[name] = _body(
                await journeys.post_for_customer(
                    api,
                    "/api/v1/opportunities",
                    {"name": name, "customer_id": customer_id, "amount": "2000.00"},
                ),
                201,
            )
    quiet_id = made[quiet]["opportunity_id"]
    await stall(quiet_id, 3)
    async with await _client(console_platform, rep) as api:
        stalled = _body(await api.get("/api/v1/opportunities", params={"stalled": "true"}))
        since = _body(await api.get(f"/api/v1/opportunities/{quiet_id}"))["stalled_since"]
    assert [item["name"] for item in stalled["items"]] == [quiet]

    # The board: every deal, the stalled one saying for how long, the moment on focus.
    await sign_in(page, rep)
    await page.goto("/sales/pipeline")
    await expect(_card(page, LEAD_GENERATED, busy)).to_be_visible()
    await expect(_card(page, LEAD_GENERATED, busy).locator("[data-stalled-since]")).to_have_count(0)
    tag = _card(page, LEAD_GENERATED, quiet).locator("[data-stalled-since]")
    await expect(tag).to_have_text("停滞 3 天")
    await expect(tag).to_have_attribute("data-stalled-since", since)
    await tag.focus()
    await expect(page.get_by_role("tooltip")).to_contain_text("起停滞")

    # Stalled only: the service's list, kept in the address.
    stalled_only = page.get_by_role("checkbox", name="只看停滞商机")
    await stalled_only.click()
    await expect(stalled_only).to_be_checked()
    await expect(page).to_have_url(re.compile(r"[?&]stalled=1"))
    await expect(_card(page, LEAD_GENERATED, busy)).to_have_count(0)
    await expect(_card(page, LEAD_GENERATED, quiet)).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("1 个停滞商机")
    assert await axe_violations(page) == []
    await page.reload()
    await expect(stalled_only).to_be_checked()
    await expect(_card(page, LEAD_GENERATED, busy)).to_have_count(0)
    await page.set_viewport_size(PHONE)
    await expect(_card(page, LEAD_GENERATED, quiet)).to_be_visible()
    await fits_the_phone(page)
    await screenshot(page, "sales-pipeline-stalled")

    # Its page says since when, to the minute, beside how long.
    await _card(page, LEAD_GENERATED, quiet).get_by_role("link", name=quiet).click()
    await expect(page.get_by_role("heading", name=quiet, level=1)).to_be_visible()
    await expect(page.get_by_text("停滞 3 天")).to_be_visible()
    details = page.locator(".ant-descriptions-item").filter(has_text="停滞起始")
    await expect(details.locator(f"time[datetime='{since}']")).to_be_visible()
    await expect(page.locator(f"main a[href='/customers/{customer_id}']")).to_have_text(
        re.compile(r"^客户 ")
    )
    await fits_the_phone(page)
    await page.set_viewport_size(DESK)
    assert await axe_violations(page) == []

    # Unchecked, every deal again.
    await page.goto("/sales/pipeline?stalled=1")
    await page.get_by_role("checkbox", name="只看停滞商机").click()
    await expect(page.get_by_role("checkbox", name="只看停滞商机")).not_to_be_checked()
    await expect(_card(page, LEAD_GENERATED, busy)).to_be_visible()


async def test_overdue_narrows_my_tasks_to_the_overdue_one_said_in_words(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    now = datetime.now(UTC)
    tasks: dict[str, dict[str, Any]] = {}
    async with await _client(console_platform, rep) as api:
        for title, due in ((f"催回款 {suffix}", -2), (f"准备演示 {suffix}", 3)):
            tasks[title] = _body(
                await api.post(
                    "/api/v1/tasks",
                    json={
                        "title": title,
                        "kind": "call",
                        "priority": "normal",
                        "due_at": (now + timedelta(days=due)).isoformat(),
                    },
                ),
                201,
            )
        overdue = _body(await api.get("/api/v1/tasks", params={"overdue": "true"}))
    late, later = tasks
    assert [task["title"] for task in overdue["items"]] == [late]

    await sign_in(page, rep)
    await page.goto("/sales/tasks")
    late_item = page.locator(".ant-list-item").filter(has_text=late)
    later_item = page.locator(".ant-list-item").filter(has_text=later)
    await expect(page.get_by_role("region", name="已逾期（1）")).to_contain_text(late)
    await expect(later_item).to_be_visible()
    # Said in words and with an icon beside the red due time, not by colour alone.
    marked = late_item.locator("[data-overdue='true']")
    await expect(marked).to_contain_text("已逾期")
    await expect(marked.locator("[role='img']")).to_have_count(1)
    await expect(marked.locator("time")).to_have_attribute(
        "datetime", overdue["items"][0]["due_at"]
    )
    assert await marked.evaluate("node => getComputedStyle(node).color") == "rgb(168, 7, 26)"
    await expect(later_item.locator("[data-overdue]")).to_have_count(0)

    views = page.get_by_role("radiogroup", name="显示")
    await views.get_by_text("已逾期", exact=True).click()
    await expect(page).to_have_url(re.compile(r"[?&]view=overdue"))
    await expect(late_item).to_be_visible()
    await expect(later_item).to_have_count(0)
    assert await axe_violations(page) == []
    await late_item.get_by_role("button", name=f"完成 {late}").click()
    await expect(page.get_by_text(f"{late} 已完成。")).to_be_visible()
    await expect(page.get_by_text("没有逾期的任务。")).to_be_visible()
    await page.set_viewport_size(PHONE)
    await fits_the_phone(page)


async def test_a_task_changed_meanwhile_is_still_completed_with_one_tap_and_keeps_the_change(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    due = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    async with await _client(console_platform, rep) as api:
        created = [
            _body(
                await api.post(
                    "/api/v1/tasks",
                    json={"title": title, "kind": "call", "priority": "normal", "due_at": due},
                ),
                201,
            )
            for title in (f"回访 {suffix}", f"寄样品 {suffix}")
        ]
        edited, finished = created
        await sign_in(page, rep)
        await page.goto("/sales/tasks")
        for task in created:
            await expect(page.get_by_role("button", name=f"完成 {task['title']}")).to_be_visible()

        # Behind the open list, the first task is raised to high; then the rep completes it.
        _body(
            await api.patch(
                f"/api/v1/tasks/{edited['task_id']}",
                json={"priority": "high"},
                headers={"If-Match": f'"{edited["version"]}"'},
            )
        )
        await page.get_by_role("button", name=f"完成 {edited['title']}").click()
        await expect(page.get_by_text(f"{edited['title']} 已完成。")).to_be_visible()
        done = _body(await api.get(f"/api/v1/tasks/{edited['task_id']}"))
        assert (done["status"], done["priority"]) == ("done", "high")

        # Behind the list again, the second task is completed elsewhere.
        _body(
            await api.put(
                f"/api/v1/tasks/{finished['task_id']}/status",
                json={"status": "done"},
                headers={"If-Match": f'"{finished["version"]}"'},
            )
        )
        await page.get_by_role("button", name=f"完成 {finished['title']}").click()
        await expect(page.get_by_text("该记录已被他人修改，现显示最新版本。")).to_be_visible()
        await expect(page.get_by_role("button", name=f"完成 {finished['title']}")).to_have_count(0)
        history = _body(await api.get(f"/api/v1/tasks/{finished['task_id']}"))
        assert history["version"] == finished["version"] + 1


async def test_a_due_time_typed_without_seconds_is_saved_and_one_not_a_time_is_refused(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    title = f"报价跟进 {suffix}"
    day = (local_today() + timedelta(days=3)).isoformat()
    await sign_in(page, rep)
    await page.goto("/sales/tasks")
    await page.get_by_role("button", name="新建任务").click()
    form = page.get_by_role("dialog", name="新建任务")
    await form.get_by_label("标题").fill(title)
    due = form.get_by_label("截止时间")

    # A day picked on the calendar is due at the start of the working day.
    await form.get_by_role("button", name="从日历选择日期").click()
    await page.locator(f".ant-popover td[title='{day}']").click()
    await expect(due).to_have_value(f"{day} 09:00")

    # What does not read as a time is refused beside the field, and nothing is saved.
    await due.fill(f"{day} 25:00")
    await due.press("Enter")
    message = form.get_by_text("无法识别该时间，请按 YYYY-MM-DD HH:mm 填写，如 2026-12-08 10:00。")
    await expect(message).to_be_visible()
    assert await axe_violations(page) == []
    await form.get_by_role("button", name="新建", exact=True).click()
    await expect(message).to_be_visible()
    await expect(form).to_be_visible()
    async with await _client(console_platform, rep) as api:
        mine = _body(await api.get("/api/v1/tasks", params={"assignee_id": rep.id}))
    assert [task for task in mine["items"] if task["title"] == title] == []

    # Typed without seconds and confirmed with Enter, it is kept, and saved as typed.
    await due.fill(f"{day} 10:00")
    await due.press("Enter")
    await expect(message).to_be_hidden()
    await expect(due).to_have_value(f"{day} 10:00")
    await form.get_by_role("button", name="新建", exact=True).click()
    await expect(form).to_be_hidden()
    await expect(page.get_by_text(title)).to_be_visible()
    expected = await page.evaluate("(day) => new Date(`${day}T10:00:00`).toISOString()", day)
    async with await _client(console_platform, rep) as api:
        mine = _body(await api.get("/api/v1/tasks", params={"assignee_id": rep.id}))
    saved = [task for task in mine["items"] if task["title"] == title]
    assert len(saved) == 1, saved
    assert datetime.fromisoformat(saved[0]["due_at"]) == datetime.fromisoformat(expected)


async def test_a_done_task_says_when_it_was_completed_and_is_reopened_though_edited_meanwhile(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    title = f"整理会议纪要 {suffix}"
    async with await _client(console_platform, rep) as api:
        task = _body(
            await api.post(
                "/api/v1/tasks", json={"title": title, "kind": "todo", "priority": "normal"}
            ),
            201,
        )
        done = _body(
            await api.put(
                f"/api/v1/tasks/{task['task_id']}/status",
                json={"status": "done"},
                headers={"If-Match": f'"{task["version"]}"'},
            )
        )
        await sign_in(page, rep)
        await page.goto("/sales/tasks?view=done")
        item = page.locator(".ant-list-item").filter(has_text=title)
        # The kind is no status word: a done task does not read "待办".
        await expect(item).to_contain_text("一般任务")
        await expect(item).not_to_contain_text("待办")
        await expect(item).to_contain_text("完成于")
        await expect(item.locator(f"time[datetime='{done['completed_at']}']")).to_be_visible()
        assert await axe_violations(page) == []

        # Behind the open list the task is raised to high; it is reopened all the same.
        _body(
            await api.patch(
                f"/api/v1/tasks/{task['task_id']}",
                json={"priority": "high"},
                headers={"If-Match": f'"{done["version"]}"'},
            )
        )
        await item.get_by_role("button", name=f"重新打开 {title}").click()
        await expect(page.get_by_text(f"{title} 已重新打开。")).to_be_visible()
        await expect(item).to_have_count(0)
        reopened = _body(await api.get(f"/api/v1/tasks/{task['task_id']}"))
        assert (reopened["status"], reopened["priority"]) == ("in_progress", "high")
        assert reopened["completed_at"] is None

    await page.get_by_role("radiogroup", name="显示").get_by_text("待办", exact=True).click()
    await expect(page.get_by_role("button", name=f"完成 {title}")).to_be_visible()
    await page.set_viewport_size(PHONE)
    await fits_the_phone(page)
