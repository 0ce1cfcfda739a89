"""Bulk import (all or nothing, per-row report, progress) and export (C-8)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from crm_chassis.testing import wait_until

from .conftest import Service
from .factories import IMPORT_COLUMNS, csv_bytes, customer_body, import_rows

pytestmark = pytest.mark.integration


async def _import(service: Service, filename: str, content: bytes) -> dict[str, Any]:
    response = await service.client.post(
        "/api/v1/customer-imports", files={"file": (filename, content)}, headers=service.admin
    )
    assert response.status_code == 202, response.text
    url = response.headers["location"]
    job: dict[str, Any] = {}

    async def finished() -> bool:
        nonlocal job
        job = (await service.client.get(url, headers=service.admin)).json()
        return job["state"] in {"completed", "failed"}

    await wait_until(finished, timeout=60, interval=0.1, what="import finished")
    return job


async def _total(service: Service, **params: str) -> int:
    response = await service.client.get("/api/v1/customers", params=params, headers=service.admin)
    return int(response.json()["total"])


async def test_5000_rows_with_one_bad_row_are_rejected_whole(service: Service) -> None:
    rows = import_rows(5000)
    rows[3120][2] = "12345"  # data row 3121 is spreadsheet row 3122 (the header is row 1)
    job = await _import(service, "customers.csv", csv_bytes(IMPORT_COLUMNS, rows))
    assert job["state"] == "failed"
    assert job["error_count"] == 1
    assert job["errors"][0]["row"] == 3122
    assert job["errors"][0]["field"] == "phone"
    assert "mainland mobile" in job["errors"][0]["reason"]
    assert job["rows_written"] == 0
    assert await _total(service) == 0
    assert await service.collection("customers").count_documents({}) == 0


async def test_clean_5000_rows_are_stored_and_searchable(service: Service) -> None:
    job = await _import(service, "customers.csv", csv_bytes(IMPORT_COLUMNS, import_rows(5000)))
    assert job["state"] == "completed", job
    assert job["rows_read"] == 5000
    assert job["rows_written"] == 5000
    assert await _total(service) == 5000
    found = await service.client.get(
        "/api/v1/customers", params={"q": "imported imp 4321"}, headers=service.admin
    )
    assert [item["email"] for item in found.json()["items"]] == ["imp.4321@example.org"]
    by_phone = await service.client.get(
        "/api/v1/customers", params={"phone": "13700004321"}, headers=service.admin
    )
    assert by_phone.json()["total"] == 1


async def test_rows_clashing_with_stored_or_earlier_rows_are_reported(service: Service) -> None:
    existing = customer_body()
    await service.client.post("/api/v1/customers", json=existing, headers=service.admin)
    rows = import_rows(3)
    rows[1][1] = existing["email"]
    rows[2][2] = rows[0][2]
    rows.append(["", "x@example.org", "", "", "", ""])
    job = await _import(service, "customers.csv", csv_bytes(IMPORT_COLUMNS, rows))
    assert job["state"] == "failed"
    reported = {(error["row"], error["field"]) for error in job["errors"]}
    assert reported == {(3, "email"), (4, "phone"), (5, "name")}
    assert await _total(service) == 1


async def test_xlsx_import_and_unknown_columns(service: Service) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(IMPORT_COLUMNS)
    sheet.append(["Xu Lin", "xu@example.org", 13600001111, "Red Co", "Beijing", "vip"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = await _import(service, "people.xlsx", buffer.getvalue())
    assert job["state"] == "completed", job
    assert await _total(service, q="xu lin") == 1
    bad = await _import(service, "people.csv", b"name,password\nA,secret\n")
    assert bad["state"] == "failed"
    assert "password" in bad["reason"]


async def test_export_guards_against_formula_injection(service: Service) -> None:
    await service.client.post(
        "/api/v1/customers",
        json=customer_body(name='=HYPERLINK("http://evil")', company="+cmd|calc"),
        headers=service.admin,
    )
    response = await service.client.get(
        "/api/v1/customer-exports", params={"format": "csv"}, headers=service.admin
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["company"] == "'+cmd|calc"
    xlsx = await service.client.get(
        "/api/v1/customer-exports", params={"format": "xlsx"}, headers=service.admin
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["B2"].data_type == "s"


async def test_export_masks_phones_for_roles_without_read_pii(service: Service) -> None:
    from crm_contracts.access import Role

    await service.client.post(
        "/api/v1/customers", json=customer_body(phone="13812340000"), headers=service.admin
    )
    response = await service.client.get(
        "/api/v1/customer-exports", headers=service.auth(Role.MARKETER, subject="marketer-1")
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["phone"] == "138****0000"


async def test_rows_of_an_unfinished_import_stay_hidden_and_a_restart_removes_them(
    service: Service,
) -> None:
    from datetime import UTC, datetime

    from customer.components import components
    from customer.domain import customer as rules
    from customer.domain.profile import Profile
    from customer.operations.imports import recover_interrupted

    parts = components(service.app.state.runtime)
    await parts.imports.create(
        {
            "_id": "cut-off", "state": "writing", "filename": "big.csv", "format": "csv",
            "created_by": "u-admin", "created_at": datetime.now(UTC), "rows_read": 1,
            "rows_written": 0, "error_count": 0, "errors": [],
        }
    )  # fmt: skip
    customer, events = rules.create_customer(
        Profile(name="Half Written", email="half@example.org"),
        customer_id="half-1",
        member_id="VIP9999999999",
        now=datetime.now(UTC),
    )
    await parts.imports.insert_batch("cut-off", 0, [(customer, events[0])])
    assert await _total(service) == 0
    hidden = await service.client.get("/api/v1/customers/half-1", headers=service.admin)
    assert hidden.status_code == 404

    await recover_interrupted(parts)

    assert await service.collection("customers").count_documents({}) == 0
    assert await service.collection("import_batches").count_documents({}) == 0
    job = await service.client.get("/api/v1/customer-imports/cut-off", headers=service.admin)
    assert job.json()["state"] == "failed"
    assert "interrupted" in job.json()["reason"]


async def test_the_mail_language_is_imported_and_exported(service: Service) -> None:
    columns = [*IMPORT_COLUMNS, "language"]
    rows = [[*row, language] for row, language in zip(import_rows(2), ["en", ""], strict=True)]
    job = await _import(service, "customers.csv", csv_bytes(columns, rows))
    assert job["state"] == "completed", job
    listed = await service.client.get(
        "/api/v1/customers", params={"sort": "name"}, headers=service.admin
    )
    assert [(c["email"], c["language"]) for c in listed.json()["items"]] == [
        ("imp.0@example.org", "en"),
        ("imp.1@example.org", None),
    ]
    response = await service.client.get(
        "/api/v1/customer-exports", params={"format": "csv"}, headers=service.admin
    )
    exported = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted((row["email"], row["language"]) for row in exported) == [
        ("imp.0@example.org", "en"),
        ("imp.1@example.org", ""),
    ]

    bad = [[*import_rows(1, prefix="bad")[0], "English"]]
    refused = await _import(service, "more.csv", csv_bytes(columns, bad))
    assert refused["state"] == "failed"
    assert [(e["row"], e["field"]) for e in refused["errors"]] == [(2, "language")]
