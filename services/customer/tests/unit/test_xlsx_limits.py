"""The size checks an .xlsx passes before openpyxl reads it (issue 18, item 5)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from customer.operations.tabular import SheetFormat, UnreadableFile, read_rows
from customer.operations.xlsx_limits import SheetExtent, SheetLimits, SheetTooLarge, inspect_xlsx

LIMITS = SheetLimits(rows=10, columns=5, unpacked_bytes=100_000)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/>'
            f"<sheetData>{rows}</sheetData></worksheet>",
        )
    return path


def test_extent_is_the_last_row_and_column_used_whatever_the_sheet_declares(
    tmp_path: Path,
) -> None:
    rows = '<row r="1"><c r="A1"/><c r="C1"/></row><row><c/><c/><c/><c/></row>'

    assert inspect_xlsx(_sheet(tmp_path, rows), LIMITS) == SheetExtent(rows=2, columns=4)


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ('<row r="11"><c r="A11"/></row>', "reaches row 11"),
        ('<row r="1"><c r="F1"/></row>', "reaches column F"),
        ('<row r="1">' + '<c r="A1"/>' * 6 + "</row>", "reaches column F"),
        ('<row r="1"/>' * 11, "at most 9 rows"),
        ('<row r="1"><c r="A1048576"/></row>', "reaches row 1048576"),
    ],
)
def test_a_sheet_past_the_limits_is_refused_before_it_is_read(
    tmp_path: Path, rows: str, reason: str
) -> None:
    with pytest.raises(SheetTooLarge, match=reason):
        inspect_xlsx(_sheet(tmp_path, rows), LIMITS)


def test_a_file_that_is_no_zip_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"name,email\n")

    with pytest.raises(UnreadableFile, match=r"not a readable \.xlsx file"):
        inspect_xlsx(path, LIMITS)


def test_an_empty_extent_reads_no_rows(tmp_path: Path) -> None:
    path = _sheet(tmp_path, "")

    with pytest.raises(UnreadableFile, match="empty"):
        next(read_rows(path, SheetFormat.XLSX, last_row=0, last_column=0))
