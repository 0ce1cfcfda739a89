# ruff: noqa: RUF001  (the Chinese labels use full-width punctuation)
"""A lead in the console: a rep opens it from the inbox by its name, edits its details
and disqualifies it, on a desk and a phone.

What the sales service refuses (a phone number it cannot read) is said beside the field
and nothing is saved; a lead someone changed while the page was open is not overwritten:
the page says so and shows the newer version.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_e2e.harness import Platform, login

from .browser import DESK, PHONE, axe_violations, fits_the_phone
from .conftest import NewPerson, Person, SignIn

pytestmark = pytest.mark.e2e


async def _client(platform: Platform, person: Person) -> httpx.AsyncClient:
    client: httpx.AsyncClient = platform.client(
        await login(platform, person.email, person.password)
    )
    return client


def _body(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_rep_opens_a_lead_from_the_inbox_edits_it_and_disqualifies_it(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    rep = await new_person("sales_rep")
    suffix = uuid.uuid4().hex[:6]
    name, company = f"钱先生 {suffix}", f"东方纺织 {suffix}"
    async with await _client(console_platform, rep) as api:
        lead = _body(
            await api.post(
                "/api/v1/leads",
                json={
                    "name": name,
                    "company": company,
                    "phone": "13800138000",
                    "email": f"qian.{suffix}@example.com",
                },
            ),
            201,
        )
        await sign_in(page, rep)
        await page.goto("/sales/leads")
        await expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        assert await axe_violations(page) == []
        await page.get_by_role("link", name=name, exact=True).click()
        await expect(page).to_have_url(re.compile(rf"/sales/leads/{lead['lead_id']}$"))
        await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        await expect(page.get_by_text(company, exact=True)).to_be_visible()
        await expect(page.get_by_text("新线索", exact=True)).to_be_visible()
        assert await axe_violations(page) == []

        # A phone number the service cannot read is refused beside the field.
        await page.get_by_role("button", name="编辑").click()
        form = page.get_by_role("dialog", name="编辑线索")
        await form.get_by_label("公司", exact=True).fill(f"东方纺织集团 {suffix}")
        phone = form.get_by_label("手机号")
        await phone.fill("12345")
        await form.get_by_role("button", name="保存").click()
        await expect(phone).to_have_attribute("aria-invalid", "true")
        await expect(form.get_by_text("格式不正确。", exact=True)).to_be_visible()
        await expect(form).to_be_visible()
        assert _body(await api.get(f"/api/v1/leads/{lead['lead_id']}"))["version"] == 1
        assert await axe_violations(page) == []

        await phone.fill("13900139000")
        await form.get_by_role("button", name="保存").click()
        await expect(form).to_be_hidden()
        await expect(page.get_by_text(f"线索 {name} 已保存。")).to_be_visible()
        await expect(page.get_by_text(f"东方纺织集团 {suffix}", exact=True)).to_be_visible()
        edited = _body(await api.get(f"/api/v1/leads/{lead['lead_id']}"))
        assert (edited["company"], edited["phone"], edited["name"]) == (
            f"东方纺织集团 {suffix}",
            "13900139000",
            name,
        )

        # Changed elsewhere while the page is open: the edit is not written over it.
        _body(
            await api.patch(
                f"/api/v1/leads/{lead['lead_id']}",
                json={"region": "华东"},
                headers={"If-Match": f'"{edited["version"]}"'},
            )
        )
        await page.get_by_role("button", name="编辑").click()
        await form.get_by_label("地区", exact=True).fill("华南")
        await form.get_by_role("button", name="保存").click()
        await expect(page.get_by_text("该记录已被他人修改，现显示最新版本。")).to_be_visible()
        await expect(form).to_be_hidden()
        await expect(page.get_by_text("华东", exact=True)).to_be_visible()
        newer = _body(await api.get(f"/api/v1/leads/{lead['lead_id']}"))
        assert (newer["region"], newer["version"]) == ("华东", edited["version"] + 1)

        # Disqualified with a reason.
        await page.get_by_role("button", name="排除").click()
        dialog = page.get_by_role("dialog", name=f"排除线索 {name}")
        await dialog.get_by_label("排除原因").fill("预算不足")
        await dialog.get_by_role("button", name="排除", exact=True).click()
        await expect(dialog).to_be_hidden()
        await expect(page.get_by_text("已排除", exact=True)).to_be_visible()
        await expect(page.get_by_text("预算不足", exact=True)).to_be_visible()
        await expect(page.get_by_role("button", name="编辑")).to_have_count(0)
        ruled_out = _body(await api.get(f"/api/v1/leads/{lead['lead_id']}"))
        assert (ruled_out["status"], ruled_out["disqualified_reason"]) == (
            "disqualified",
            "预算不足",
        )
    assert await axe_violations(page) == []
    await page.set_viewport_size(PHONE)
    await fits_the_phone(page)

    # On a phone the inbox's card opens the lead by its name too.
    await page.goto("/sales/leads")
    await page.get_by_role("link", name=name, exact=True).click()
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    await fits_the_phone(page)
    await page.set_viewport_size(DESK)
