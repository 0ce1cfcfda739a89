"""Ticket attachments: uploaded, listed and downloaded with their names (Chinese ones
too), within the size and type limits, by those who may work the ticket."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from crm_contracts.access import Role

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n% a small contract\n%%EOF\n"


async def _ticket(support, bodies) -> str:
    response = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(), headers=support.auth()
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_an_agent_uploads_a_file_with_a_chinese_name_and_downloads_it_back(
    support, bodies
) -> None:
    ticket_id = await _ticket(support, bodies)

    uploaded = await support.client.post(
        f"/api/v1/tickets/{ticket_id}/attachments",
        files={"file": ("合同.pdf", PDF, "application/pdf")},
        headers=support.auth(),
    )

    assert uploaded.status_code == 201, uploaded.text
    meta = uploaded.json()
    assert (meta["filename"], meta["content_type"], meta["size"]) == (
        "合同.pdf",
        "application/pdf",
        len(PDF),
    )
    assert meta["uploaded_by"] == "agent-1"
    listed = await support.client.get(
        f"/api/v1/tickets/{ticket_id}/attachments", headers=support.auth()
    )
    # Stored times keep milliseconds: compare everything else.
    assert [{**item, "created_at": None} for item in listed.json()] == [
        {**meta, "created_at": None}
    ]
    downloaded = await support.client.get(
        f"/api/v1/tickets/{ticket_id}/attachments/{meta['id']}", headers=support.auth()
    )
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    disposition = downloaded.headers["content-disposition"]
    found = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    assert found is not None, disposition
    assert unquote(found.group(1)) == "合同.pdf"


async def test_a_refused_type_names_the_file_field_and_a_reader_may_not_upload(
    support, bodies
) -> None:
    ticket_id = await _ticket(support, bodies)

    program = await support.client.post(
        f"/api/v1/tickets/{ticket_id}/attachments",
        files={"file": ("setup.exe", b"MZ\x90\x00", "application/x-msdownload")},
        headers=support.auth(),
    )
    by_a_rep = await support.client.post(
        f"/api/v1/tickets/{ticket_id}/attachments",
        files={"file": ("note.txt", b"hello", "text/plain")},
        headers=support.auth(Role.SALES_REP, subject="rep-1"),
    )

    assert program.status_code == 422
    assert program.json()["errors"][0]["field"] == "body.file"
    assert by_a_rep.status_code == 403
    listed = await support.client.get(
        f"/api/v1/tickets/{ticket_id}/attachments", headers=support.auth()
    )
    assert listed.json() == []


async def test_a_file_over_the_limit_is_refused_with_413(make_settings, start_app, bodies) -> None:
    async with start_app(make_settings(attachment_max_bytes=1024)) as support:
        ticket_id = await _ticket(support, bodies)
        response = await support.client.post(
            f"/api/v1/tickets/{ticket_id}/attachments",
            files={"file": ("big.txt", b"x" * 1025, "text/plain")},
            headers=support.auth(),
        )

    assert response.status_code == 413
