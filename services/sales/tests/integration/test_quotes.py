"""Quotes: from a template, revised with exact totals, negotiated, accepted, printed."""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crm_contracts.events import customer

pytestmark = pytest.mark.integration

TERMS = {
    "lines": [{"product": "CRM 专业版 seat", "quantity": "10", "unit_price": "1999.00"}],
    "tax_rate_percent": "13",
}


async def test_quote_from_template_is_revised_negotiated_accepted_and_rendered_as_pdf(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    template = await client.put(
        "/api/v1/quotes/templates/standard",
        json={"name": "Standard", "terms": TERMS},
        headers=admin,
    )
    assert template.status_code == 200, template.text
    created = await client.post(
        "/api/v1/quotes", json={"customer_id": "cust-1", "template_id": "standard"}, headers=admin
    )
    assert created.status_code == 201, created.text
    quote = created.json()
    assert quote["revisions"][0]["totals"]["total"] == "22588.70"
    url = f"/api/v1/quotes/{quote['quote_id']}"

    revised = await client.post(
        f"{url}/revisions",
        json={**TERMS, "discount_percent": "7.5", "valid_until": "2099-12-31"},
        headers={**admin, "If-Match": created.headers["ETag"]},
    )
    assert revised.status_code == 201, revised.text
    # 19990.00 less 7.5% (1499.25) = 18490.75; 13% tax 2403.80 (2403.7975)
    assert revised.json()["revisions"][1]["totals"] == {
        "subtotal": "19990.00",
        "discount": "1499.25",
        "taxable": "18490.75",
        "tax": "2403.80",
        "total": "20894.55",
    }
    noted = await client.post(f"{url}/notes", json={"text": "Asked for 10% off"}, headers=admin)
    assert noted.json()["notes"][0]["text"] == "Asked for 10% off"
    for status in ("sent", "accepted"):
        etag = (await client.get(url, headers=admin)).headers["ETag"]
        moved = await client.put(
            f"{url}/status", json={"status": status}, headers={**admin, "If-Match": etag}
        )
        assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "accepted"

    pdf = await client.get(f"{url}/pdf", params={"revision": 1}, headers=admin)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        await client.get(f"{url}/pdf", params={"revision": 9}, headers=admin)
    ).status_code == 422


def pdf_text(pdf: bytes) -> str:
    """The text a quote PDF shows: its page streams (ASCII85 over Flate, as reportlab
    writes them) read for their string operands, in STSong-Light's UCS-2 encoding."""
    texts: list[str] = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = stream.strip()
        if not raw.endswith(b"~>"):
            continue
        content = zlib.decompress(base64.a85decode(raw[:-2]))
        for literal in re.findall(rb"\(((?:[^\\)]|\\.)*)\)\s*Tj", content, re.S):
            unescaped = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: (
                    bytes([int(m[1], 8)])
                    if m[1][:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m[1], m[1])
                ),
                literal,
                flags=re.S,
            )
            texts.append(unescaped.decode("utf-16-be"))
    return "\n".join(texts)


async def test_the_quote_pdf_is_labelled_in_the_customers_language(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    now = datetime.now(UTC)
    for customer_id, language in (("c-pdf-zh", "zh-CN"), ("c-pdf-en", "en"), ("c-pdf-x", None)):
        await publish(
            customer.CustomerCreated(
                customer_id=customer_id,
                member_id=f"M-{customer_id}",
                name=f"Name {customer_id}",
                created_at=now,
                language=language,
            )
        )
    urls: dict[str, str] = {}
    for customer_id in ("c-pdf-zh", "c-pdf-en", "c-pdf-x"):
        created = await client.post(
            "/api/v1/quotes", json={"customer_id": customer_id, "terms": TERMS}, headers=admin
        )
        assert created.status_code == 201, created.text
        urls[customer_id] = f"/api/v1/quotes/{created.json()['quote_id']}"

    async def named() -> bool:
        for url in urls.values():
            shown = await client.get(url, headers=admin)
            if shown.json()["customer_name"] is None:
                return False
        return True

    await eventually(named, what="the customers copied")

    async def text(customer_id: str, **request: Any) -> str:
        pdf = await client.get(
            f"{urls[customer_id]}/pdf", headers=admin | request.pop("headers", {}), **request
        )
        assert pdf.status_code == 200, pdf.text
        assert b"/BaseFont /STSong-Light" in pdf.content
        return pdf_text(pdf.content)

    chinese = await text("c-pdf-zh", headers={"Accept-Language": "en"})
    for label in (
        "报价单",
        "客户：Name c-pdf-zh",  # noqa: RUF001
        "产品",
        "数量",
        "单价",
        "小计",
        "税额 13%",
        "总计",
    ):
        assert label in chinese, chinese
    assert "Subtotal" not in chinese
    assert "CRM 专业版 seat" in chinese

    english = await text("c-pdf-en", headers={"Accept-Language": "zh-CN"})
    for label in (
        "Quote Q",
        "Customer: Name c-pdf-en",
        "Qty",
        "Unit price",
        "Subtotal",
        "Tax 13%",
        "Total",
    ):
        assert label in english, english
    assert "小计" not in english

    # Not known for the customer: the reader's language, or the one asked for.
    assert "Subtotal" in await text("c-pdf-x", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "小计" in await text("c-pdf-x", headers={"Accept-Language": "zh-CN"})
    assert "小计" in await text("c-pdf-x")
    assert "Subtotal" in await text("c-pdf-zh", params={"lang": "en"})
    wrong = await client.get(f"{urls['c-pdf-zh']}/pdf", params={"lang": "fr"}, headers=admin)
    assert wrong.status_code == 422
    assert "lang" in wrong.text

    # The customer changes language: the next PDF follows.
    await publish(
        customer.CustomerUpdated(
            customer_id="c-pdf-zh", version=1, name="Name c-pdf-zh", updated_at=now, language="en"
        )
    )

    async def switched() -> bool:
        return "Subtotal" in await text("c-pdf-zh")

    await eventually(switched, what="the customer's new language applied")
