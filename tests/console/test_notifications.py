"""Notifications in the console: the bell, the inbox, urgent toasts and the preferences.

Events are published on the platform's exchange as their services would publish them;
the notifications service (which learnt of the person from the gateway's
crm.gateway.user.changed.v1) puts them in the person's inbox and pushes them over the
live stream the bell follows through the gateway.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.async_api import Page, expect
from pymongo import AsyncMongoClient

from crm_chassis.testing import EventProbe, wait_until
from crm_contracts.events.sales import LeadAssigned
from crm_contracts.events.support import TicketEscalated
from crm_e2e.harness import Platform, event_settings, login
from notifications.components import components as notifications_components

from .browser import PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, Person, SignIn

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


async def _known_to_notifications(platform: Platform, mongo_url: str, person: Person) -> None:
    """Wait until the notifications service has the person in its copy of the directory
    (a recipient it does not know gets nothing)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    people = client[f"e2e_{platform.run_id}_notifications"]["people"]
    try:
        await wait_until(
            lambda: people.find_one({"_id": person.id}),
            timeout=15,
            interval=0.2,
            what=f"{person.email} in the notifications directory",
        )
    finally:
        await client.close()


async def _publish(platform: Platform, amqp_url: str, *events: Any) -> None:
    exchange = event_settings(platform.run_id)["exchange"]
    async with EventProbe(amqp_url, exchange, watch="crm.test.none") as probe:
        for event in events:
            await probe.publish(event)


async def _following(platform: Platform, person: Person) -> None:
    """Wait until the console's live stream of the person is connected to the
    notifications service: a first connection replays nothing, so an item created
    before it connected would show no toast (and the bell might not count it)."""
    live = notifications_components(platform.apps["notifications"].state.runtime).live
    await wait_until(
        lambda: live.is_following(person.id),
        timeout=15,
        interval=0.05,
        what=f"the live stream of {person.email}",
    )


def _lead_for(person: Person, name: str) -> LeadAssigned:
    return LeadAssigned(
        lead_id=f"lead-{uuid.uuid4().hex[:8]}",
        owner_id=person.id,
        team=person.team,
        name=name,
        assigned_at=datetime.now(UTC),
    )


def _bell(page: Page) -> Any:
    return page.get_by_test_id("notification-bell")


def _unread(count: int) -> str:
    """The bell's name with ``count`` unread (the comma is the full-width one)."""
    return f"通知\uff0c{count} 条未读"


async def test_a_rep_sees_new_notifications_arrive_opens_one_and_marks_all_read(
    console_platform: Platform,
    amqp_url: str,
    mongo_url: str,
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
) -> None:
    rep = await new_person("sales_rep", name="李雷")
    await _known_to_notifications(console_platform, mongo_url, rep)
    await sign_in(page, rep)
    await expect(_bell(page)).to_have_accessible_name(_unread(0))
    await _following(console_platform, rep)

    first, second = _lead_for(rep, "王芳"), _lead_for(rep, "张伟")
    await _publish(console_platform, amqp_url, first)
    await expect(_bell(page)).to_have_accessible_name(_unread(1))
    await _publish(console_platform, amqp_url, second)
    await expect(_bell(page)).to_have_accessible_name(_unread(2))

    await _bell(page).click()
    inbox = page.get_by_role("dialog", name="通知")
    await expect(inbox).to_be_visible()
    items = inbox.get_by_test_id("inbox").locator("li")
    await expect(items).to_have_count(2)
    await expect(inbox.locator("li[data-unread]")).to_have_count(2)
    await expect(items.first).to_contain_text("张伟")  # newest first among the unread
    await expect(items.first).to_contain_text("未读")
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "notifications-inbox")

    await inbox.locator(f'a[href="/sales/leads/{first.lead_id}"]').click()
    await expect(page).to_have_url(re.compile(rf"/sales/leads/{first.lead_id}$"))
    await expect(inbox).to_be_hidden()
    await expect(_bell(page)).to_have_accessible_name(_unread(1))

    await _bell(page).click()
    await expect(inbox.locator("li[data-unread]")).to_have_count(1)
    await expect(items.first).to_contain_text("张伟")  # the unread one first
    await inbox.get_by_role("button", name="全部标为已读").click()
    await expect(_bell(page)).to_have_accessible_name(_unread(0))
    await expect(inbox.locator("li[data-unread]")).to_have_count(0)
    await expect(inbox.get_by_role("button", name="全部标为已读")).to_be_disabled()

    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as api:
        count = await api.get("/api/v1/notifications/unread-count")
    assert count.json() == {"unread": 0}


async def test_an_urgent_notification_shows_a_toast(
    console_platform: Platform,
    amqp_url: str,
    mongo_url: str,
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
) -> None:
    agent = await new_person("support_agent", name="韩梅梅")
    await _known_to_notifications(console_platform, mongo_url, agent)
    await sign_in(page, agent)
    await expect(_bell(page)).to_have_accessible_name(_unread(0))
    await _following(console_platform, agent)

    escalated = TicketEscalated(
        ticket_id=f"t-{uuid.uuid4().hex[:8]}",
        to_assignee_id=agent.id,
        team=agent.team,
        level=2,
        subject="发票金额有误",
        escalated_at=datetime.now(UTC),
    )
    await _publish(console_platform, amqp_url, escalated)

    toast = page.locator(".ant-notification-notice").filter(has_text="发票金额有误")
    await expect(toast).to_be_visible()
    await expect(toast.get_by_role("button", name="查看")).to_be_visible()
    await expect(_bell(page)).to_have_accessible_name(_unread(1))
    violations = await axe_violations(page)
    assert violations == [], violations


async def test_the_inbox_and_the_preferences_fit_the_phone(
    console_platform: Platform,
    amqp_url: str,
    mongo_url: str,
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
) -> None:
    rep = await new_person("sales_rep", name="Lucy Liu")
    await _known_to_notifications(console_platform, mongo_url, rep)
    await _publish(console_platform, amqp_url, _lead_for(rep, "A very long company name Ltd."))
    await page.set_viewport_size(PHONE)
    await sign_in(page, rep)
    await expect(_bell(page)).to_have_accessible_name(_unread(1))

    await _bell(page).click()
    inbox = page.get_by_role("dialog", name="通知")
    await expect(inbox.get_by_test_id("inbox").locator("li")).to_have_count(1)
    await fits_the_phone(page)
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "notifications-inbox-phone")

    await inbox.get_by_role("link", name="通知设置").click()
    await expect(page.get_by_role("heading", level=1, name="通知设置")).to_be_visible()
    await expect(page.get_by_test_id("channel-matrix")).to_be_visible()
    await fits_the_phone(page)
    violations = await axe_violations(page)
    assert violations == [], violations


async def test_a_person_sets_their_notification_preferences(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    await sign_in(page, rep)

    await page.get_by_role("button", name=re.compile("^账户")).click()
    await page.get_by_role("menuitem", name="通知设置").click()
    await expect(page.get_by_role("heading", level=1, name="通知设置")).to_be_visible()
    assert "dead_letters" not in await page.get_by_test_id("channel-matrix").inner_text()
    await page.get_by_role("switch", name="启用免打扰时段").click()
    await page.get_by_role("switch", name="发送每日摘要").click()
    await page.get_by_role("checkbox", name="分配给我的线索\uff1a邮件").check()
    await page.get_by_role("checkbox", name="任务提醒\uff1a控制台").uncheck()
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_text("通知设置已保存")).to_be_visible()
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "notifications-preferences")

    token = await login(console_platform, rep.email, rep.password)
    async with console_platform.client(token) as api:
        saved = (await api.get("/api/v1/notification-preferences")).json()
    assert saved["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert saved["digest"] == {"enabled": True, "at": "08:00"}
    assert saved["channels"]["lead_assigned"] == ["console", "email"]
    assert saved["channels"]["task_reminder"] == []
    assert saved["language"] == "zh-CN"

    await page.reload()
    await expect(page.get_by_role("switch", name="发送每日摘要")).to_be_checked()
    await expect(page.get_by_role("checkbox", name="任务提醒\uff1a控制台")).not_to_be_checked()
