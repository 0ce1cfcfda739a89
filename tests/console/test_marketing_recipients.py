"""A campaign's recipients on a phone: one card per recipient, every date on one line
and whole (seven table columns squeezed into 390 px wrapped the dates onto five lines
and cut them off)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.async_api import Page, ViewportSize, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform

from .browser import PHONE, fits_the_phone
from .conftest import NewPerson, SignIn
from .test_marketing import by_tag, consenting_customers, ok

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

TEMPLATE_HTML = '<p>Hello {{ customer_name }}</p><p><a href="{{ unsubscribe_url }}">x</a></p>'


async def sent_campaign(platform: Platform, tag: str, emails: list[str]) -> str:
    """A campaign to the tag's customers, launched and sent to each; its id."""
    async with platform.admin() as admin:
        segment = ok(await admin.post("/api/v1/segments", json=by_tag(tag)), 201)
        template = ok(
            await admin.post(
                "/api/v1/email-templates",
                json={"name": f"T {tag}", "subject": f"Hi {tag}", "html": TEMPLATE_HTML},
            ),
            201,
        )
        campaign = ok(
            await admin.post(
                "/api/v1/campaigns",
                json={
                    "name": f"Recipients {tag}",
                    "channels": ["email"],
                    "budget": "1000.00",
                    "segment_id": segment["id"],
                    "template_id": template["id"],
                },
            ),
            201,
        )
        campaign_id: str = campaign["id"]
        url = f"/api/v1/campaigns/{campaign_id}"
        ok(await admin.post(f"{url}/status", json={"status": "preparing"}))
        ok(await admin.post(f"{url}/deliveries"), 202)

        async def all_sent() -> bool:
            return bool(ok(await admin.get(f"{url}/metrics"))["sent"] == len(emails))

        await wait_until(all_sent, timeout=30, interval=0.2, what="campaign sent")
    return campaign_id


async def test_a_campaigns_recipients_are_cards_with_whole_dates_on_a_phone(
    page: Page, new_person: NewPerson, sign_in: SignIn, console_platform: Platform
) -> None:
    tag = f"rcp{uuid.uuid4().hex[:8]}"
    emails = await consenting_customers(console_platform, tag, 3)
    campaign_id = await sent_campaign(console_platform, tag, emails)
    await sign_in(page, await new_person("marketer"))

    await page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    await page.goto(f"/marketing/campaigns/{campaign_id}")
    recipients = page.get_by_role("list", name="收件人")
    cards = recipients.get_by_role("listitem")
    await expect(cards).to_have_count(len(emails))
    for email in emails:
        await expect(recipients).to_contain_text(email)
    sent_at = recipients.get_by_test_id("recipient-sent-at")
    await expect(sent_at).to_have_count(len(emails))
    for index in range(len(emails)):
        date = sent_at.nth(index)
        await expect(date).to_have_text(re.compile(r"\d{4}"))
        shape: dict[str, Any] = await date.evaluate(
            """(element) => {
                const box = element.getBoundingClientRect();
                const line = parseFloat(getComputedStyle(element).lineHeight);
                return {
                    lines: Math.round(box.height / line),
                    cut: element.scrollWidth > element.clientWidth + 1,
                    right: box.right,
                };
            }"""
        )
        assert shape["lines"] == 1, shape
        assert not shape["cut"], shape
        assert shape["right"] <= PHONE["width"], shape
    await fits_the_phone(page)
    # The innermost card holding the list is the recipients' card: no table in it.
    recipients_card = page.locator(".ant-card").filter(has=recipients).last
    await expect(recipients_card.get_by_role("table")).to_have_count(0)
