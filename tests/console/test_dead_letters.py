"""Dead letters in the console, for administrators, compared with the gateway's API.

An event no service can read is published on the platform's exchange; the customer
service parks it in its dead-letter queue. The administrator finds it on the dead
letters screen with its service, type and reason, replays it (it is still unreadable,
so it is parked again, later) and then discards it for good. A sales manager is not
offered the screen, and the API refuses them.
"""

from __future__ import annotations

import uuid
from typing import Any

import aio_pika
import pytest
from playwright.async_api import Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, event_settings, login

from .browser import PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, SignIn

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PAYMENT_RECEIVED = "crm.sales.payment.received.v1"


async def _parked(platform: Platform, message_id: str) -> list[dict[str, Any]]:
    """The customer service's dead letters with this message id, as the API lists them."""
    async with platform.admin() as admin:
        response = await admin.get("/api/v1/dead-letters", params={"service": "customer"})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return [item for item in items if item["message_id"] == message_id]


async def test_an_admin_replays_and_discards_a_parked_event(
    console_platform: Platform,
    amqp_url: str,
    page: Page,
    new_person: NewPerson,
    sign_in: SignIn,
) -> None:
    message_id = f"unreadable-{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(event_settings(console_platform.run_id)["exchange"])
        await exchange.publish(
            aio_pika.Message(b"{not json", message_id=message_id, type=PAYMENT_RECEIVED),
            routing_key=PAYMENT_RECEIVED,
        )

    async def parked() -> bool:
        return len(await _parked(console_platform, message_id)) == 1

    await wait_until(parked, timeout=15, interval=0.2, what="the event dead-lettered")
    [letter] = await _parked(console_platform, message_id)
    assert (letter["reason"], letter["type"]) == ("malformed", PAYMENT_RECEIVED)

    admin = await new_person("admin", team=None)
    await sign_in(page, admin)
    menu = page.get_by_role("navigation", name="主菜单")
    await expect(menu.get_by_text("死信队列")).to_have_count(1)
    await page.goto("/settings/dead-letters")
    await expect(page.get_by_role("heading", level=1, name="死信队列")).to_be_visible()
    await page.get_by_label("服务").click()
    await page.locator(".ant-select-dropdown:visible").get_by_title("customer", exact=True).click()
    row = page.get_by_role("row").filter(has_text=message_id)
    await expect(row).to_be_visible()
    await expect(row).to_contain_text(PAYMENT_RECEIVED)
    await expect(row).to_contain_text("格式无效")
    await row.get_by_role("button", name="展开行").click()
    await expect(page.get_by_text("{not json", exact=True)).to_be_visible()
    await expect(page.get_by_text(letter["error"][:40])).to_be_visible()
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "settings-dead-letters")

    # Replayed: still unreadable, so the customer service parks it again, later.
    await row.get_by_role("button", name=f"重放 {PAYMENT_RECEIVED}").click()
    await expect(page.get_by_text(f"{PAYMENT_RECEIVED} 已送回所属服务重新处理。")).to_be_visible()

    async def parked_again() -> bool:
        found = await _parked(console_platform, message_id)
        return len(found) == 1 and found[0]["dead_lettered_at"] > letter["dead_lettered_at"]

    await wait_until(parked_again, timeout=15, interval=0.2, what="the replay parked again")
    await page.get_by_role("button", name="刷新").click()
    await expect(row).to_be_visible()

    await row.get_by_role("button", name=f"丢弃 {PAYMENT_RECEIVED}").click()
    await page.locator(".ant-popconfirm:visible").get_by_role("button", name="丢弃").click()
    await expect(page.get_by_text(f"{PAYMENT_RECEIVED} 已丢弃。")).to_be_visible()
    await expect(row).to_have_count(0)
    assert await _parked(console_platform, message_id) == []

    # On a phone the parked messages are cards that fit the screen.
    await page.set_viewport_size(PHONE)
    await page.reload()
    await expect(page.get_by_role("heading", level=1, name="死信队列")).to_be_visible()
    await fits_the_phone(page)


async def test_a_sales_manager_is_not_offered_the_dead_letters(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    manager = await new_person("sales_manager", team="north")
    await sign_in(page, manager)
    await expect(
        page.get_by_role("navigation", name="主菜单").get_by_text("死信队列")
    ).to_have_count(0)
    await page.goto("/settings/dead-letters")
    await expect(page.get_by_text("页面不存在")).to_be_visible()
    token = await login(console_platform, manager.email, manager.password)
    async with console_platform.client(token) as api:
        listed = await api.get("/api/v1/dead-letters")
        replayed = await api.post("/api/v1/dead-letters/customer/any/replay")
        discarded = await api.delete("/api/v1/dead-letters/customer/any")
    assert (listed.status_code, replayed.status_code, discarded.status_code) == (403, 403, 403)
