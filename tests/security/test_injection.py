"""Injection: MongoDB operators in every filter parameter select nothing extra and never
fail the server; exported CSV cells cannot run as spreadsheet formulas; a webhook cannot
target internal addresses (SSRF)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest

from crm_contracts.access import Role
from crm_e2e.harness import Platform
from security.factories import create_customer, person

pytestmark = pytest.mark.e2e

OPERATOR_VALUES = ['{"$ne": null}', '{"$gt": ""}', "$where", ".*", '{"$regex": ".*"}', "[$ne]"]


def list_operations(spec: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """GET operations without path parameters and their string query parameters."""
    found = []
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if not operation or "{" in path or not operation.get("security"):
            continue
        names = [
            p["name"]
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p["name"] not in ("offset", "limit")
        ]
        if names:
            found.append((path, names))
    return found


async def test_operator_injection_in_any_filter_never_fails_or_widens_a_list(
    secured_platform: Platform, merged_openapi: dict[str, Any]
) -> None:
    wrong: list[str] = []
    for path, names in list_operations(merged_openapi):
        # An admin of its own per list, so that no rate-limit budget is shared.
        _, admin = person(secured_platform, Role.ADMIN)
        async with admin:
            for name in names:
                for value in OPERATOR_VALUES:
                    response = await admin.get(path, params={name: value})
                    if response.status_code >= 500 or response.status_code == 429:
                        wrong.append(f"{path} {name}={value}: {response.status_code}")
                # An operator in the parameter's name is no parameter of the list.
                keyed = await admin.get(path, params={f"{name}[$ne]": "x"})
                if keyed.status_code != 422:
                    wrong.append(f"{path} {name}[$ne]: {keyed.status_code}, not 422")
    _, admin = person(secured_platform, Role.ADMIN)
    async with admin:
        await create_customer(admin, region="Injection-Region")
        widened = await admin.get("/api/v1/customers", params={"region": '{"$ne": null}'})
        assert widened.status_code in (200, 422)
        if widened.status_code == 200:
            assert widened.json()["total"] == 0
        keyed = await admin.get("/api/v1/customers", params={"region[$ne]": "nothing"})
        assert keyed.status_code == 422  # refused, not ignored (it once listed everyone)
        assert [e["field"] for e in keyed.json()["errors"]] == ["query.region[$ne]"]
    assert not wrong, "\n".join(wrong[:30])


async def test_exported_csv_neutralises_formulas(secured_platform: Platform) -> None:
    marker = uuid.uuid4().hex[:8]
    dangerous = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"]
    _, admin = person(secured_platform, Role.ADMIN)
    async with admin:
        for number, name in enumerate(dangerous):
            await create_customer(admin, name=name, company=f"{marker}-{number}", tags=[marker])
        response = await admin.get(
            "/api/v1/customer-exports", params={"format": "csv", "tag": marker}
        )
    assert response.status_code == 200, response.text
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    for value in dangerous:
        assert value not in cells
        assert f"'{value}" in cells


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "file:///etc/passwd",
        "gopher://127.0.0.2:6379/_FLUSHALL",
        "http://metadata.google.internal/",
    ],
)
async def test_webhook_to_an_internal_address_is_refused(
    secured_platform: Platform, url: str
) -> None:
    async with secured_platform.admin() as admin:
        response = await admin.post(
            "/api/v1/webhook-subscriptions",
            json={"url": url, "event_types": ["crm.customer.customer.created.v1"]},
        )
    assert response.status_code == 422, (url, response.status_code, response.text)
