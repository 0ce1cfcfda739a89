"""Quotes: from a template, revised with exact totals, negotiated, accepted, printed."""

from __future__ import annotations

import httpx
import pytest

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
