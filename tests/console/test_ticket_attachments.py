"""A ticket's attachments in the console, compared with the support API.

An agent uploads a contract with a Chinese file name to the ticket they handle, sees it
listed as the API lists it and downloads the same bytes back; a file of a type the
service does not keep is refused with a sentence saying so. A sales rep who reads the
ticket sees the attachment and who handles the ticket by name, but is offered no
upload, and the API refuses one when forced.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_chassis.testing import wait_until
from crm_e2e.harness import Platform, login

from .browser import PHONE, axe_violations, fits_the_phone, screenshot
from .conftest import NewPerson, Person, SignIn

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PDF = b"%PDF-1.4\n% a signed contract\n%%EOF\n"


async def _api(platform: Platform, person: Person) -> httpx.AsyncClient:
    return platform.client(await login(platform, person.email, person.password))


def _body(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_an_agent_attaches_a_contract_and_a_rep_only_reads_it(
    console_platform: Platform, page: Page, new_person: NewPerson, sign_in: SignIn
) -> None:
    suffix = uuid.uuid4().hex[:6]
    agent = await new_person("support_agent", team="north", name=f"客服{suffix}")
    rep = await new_person("sales_rep", team="north", name=f"代表{suffix}")
    async with console_platform.admin() as admin:
        customer = _body(
            await admin.post(
                "/api/v1/customers", json={"name": f"客户{suffix}", "owner_id": rep.id}
            ),
            201,
        )
        ticket = _body(
            await admin.post(
                "/api/v1/tickets",
                json={
                    "subject": f"合同盖章问题 {suffix}",
                    "description": "客户需要重新盖章的合同。",
                    "priority": "normal",
                    "channel": "phone",
                    "customer_id": customer["id"],
                },
            ),
            201,
        )
        _body(
            await admin.post(
                f"/api/v1/tickets/{ticket['id']}/assignment",
                json={"assignee_id": agent.id, "team": "north"},
                headers={"If-Match": f'"{ticket["version"]}"'},
            )
        )
    await sign_in(page, agent)
    await page.goto(f"/support/tickets/{ticket['id']}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ticket["subject"])
    attachments = page.get_by_role("region", name="附件")
    await expect(attachments).to_contain_text("暂无附件")

    async with page.expect_file_chooser() as choosing:
        await attachments.get_by_role("button", name="上传附件").click()
    chooser = await choosing.value
    await chooser.set_files({"name": "合同.pdf", "mimeType": "application/pdf", "buffer": PDF})
    await expect(page.get_by_text("已上传 合同.pdf。")).to_be_visible()
    async with await _api(console_platform, agent) as api:
        listed = _body(await api.get(f"/api/v1/tickets/{ticket['id']}/attachments"))
    assert [(item["filename"], item["size"], item["uploaded_by"]) for item in listed] == [
        ("合同.pdf", len(PDF), agent.id)
    ]
    await expect(attachments).to_contain_text("合同.pdf")
    await expect(attachments).to_contain_text(f"客服{suffix}")

    async with page.expect_download() as downloading:
        await attachments.get_by_role("button", name="下载 合同.pdf").click()
    download = await downloading.value
    assert download.suggested_filename == "合同.pdf"
    assert await asyncio.to_thread(Path(await download.path()).read_bytes) == PDF

    async with page.expect_file_chooser() as choosing:
        await attachments.get_by_role("button", name="上传附件").click()
    chooser = await choosing.value
    await chooser.set_files(
        {"name": "setup.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ\x90\x00"}
    )
    await expect(attachments.get_by_role("alert")).to_contain_text("不接受 setup.exe 这类文件")
    async with await _api(console_platform, agent) as api:
        still = _body(await api.get(f"/api/v1/tickets/{ticket['id']}/attachments"))
    assert [item["filename"] for item in still] == ["合同.pdf"]
    violations = await axe_violations(page)
    assert violations == [], violations
    await screenshot(page, "support-attachments")

    # The rep of the customer: the file and who handles the ticket, no upload.
    async with await _api(console_platform, rep) as as_rep:

        async def visible() -> bool:
            response = await as_rep.get(f"/api/v1/tickets/{ticket['id']}")
            return response.status_code == 200

        # The support service learns who owns the customer from the customer's events.
        await wait_until(visible, timeout=15, interval=0.2, what="the rep sees the ticket")
        forced = await as_rep.post(
            f"/api/v1/tickets/{ticket['id']}/attachments",
            files={"file": ("note.txt", b"hello", "text/plain")},
        )
    assert forced.status_code == 403
    await page.context.clear_cookies()
    await page.set_viewport_size(PHONE)
    await sign_in(page, rep)
    await page.goto(f"/support/tickets/{ticket['id']}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ticket["subject"])
    await expect(page.get_by_role("main")).to_contain_text(f"处理人: 客服{suffix}")
    attachments = page.get_by_role("region", name="附件")
    await expect(attachments).to_contain_text("合同.pdf")
    await expect(attachments.get_by_role("button", name="下载 合同.pdf")).to_be_visible()
    await expect(attachments.get_by_role("button", name="上传附件")).to_have_count(0)
    await fits_the_phone(page)
