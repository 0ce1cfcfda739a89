"""Spreadsheets that would keep the service busy for minutes or fill its memory are
refused at upload, before anything parses them (issue 18, item 5)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook

from .conftest import Service
from .factories import IMPORT_COLUMNS

pytestmark = pytest.mark.integration


def _xlsx(cells: dict[str, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(IMPORT_COLUMNS)
    for reference, value in cells.items():
        sheet[reference] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_huge_shared_strings(content: bytes, unpacked_bytes: int) -> bytes:
    """The same workbook whose shared strings unpack to ``unpacked_bytes`` (a zip bomb:
    the upload stays a few hundred kilobytes)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            if member.filename != "xl/sharedStrings.xml":
                bomb.writestr(member, source.read(member))
        with bomb.open("xl/sharedStrings.xml", "w") as strings:
            block = b"<si><t>a</t></si>" * 65536
            for _ in range(unpacked_bytes // len(block) + 1):
                strings.write(block)
    return target.getvalue()


async def _upload(service: Service, content: bytes) -> tuple[int, dict[str, Any]]:
    response = await service.client.post(
        "/api/v1/customer-imports",
        files={"file": ("people.xlsx", content)},
        headers=service.admin,
    )
    return response.status_code, response.json()


async def test_xlsx_spanning_the_whole_sheet_is_refused_at_upload_with_422(
    service: Service,
) -> None:
    content = _xlsx({"XFD1": "far right", "A1048576": "far down"})
    assert len(content) < 20_000

    status, problem = await _upload(service, content)

    assert status == 422, problem
    assert problem["errors"][0]["field"] == "body.file"
    assert "the sheet reaches column XFD" in problem["errors"][0]["reason"]
    jobs = await service.collection("imports").count_documents({})
    assert jobs == 0


async def test_xlsx_with_a_row_past_the_limit_is_refused_with_422(service: Service) -> None:
    status, problem = await _upload(service, _xlsx({"A2": "Ann", "B1048576": "far down"}))

    assert status == 422, problem
    assert problem["errors"][0]["field"] == "body.file"
    assert "the sheet reaches row 1048576" in problem["errors"][0]["reason"]


async def test_xlsx_unpacking_past_the_limit_is_refused_with_413(service: Service) -> None:
    limit = service.settings.import_max_unpacked_bytes
    content = _with_huge_shared_strings(_xlsx({"A2": "Ann"}), limit)
    assert len(content) < limit // 100

    status, problem = await _upload(service, content)

    assert status == 413, problem
    assert problem["errors"][0]["field"] == "body.file"
    assert "unpacks to" in problem["errors"][0]["reason"]
