"""Reading and writing spreadsheets (.csv, .xlsx) row by row, never a whole file at once."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class UnreadableFile(Exception):
    pass


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets turn 13800000000 into 13800000000.0
    return str(value).strip()


def read_rows(
    path: Path, sheet_format: SheetFormat, *, last_row: int = 0, last_column: int = 0
) -> Iterator[dict[str, str]]:
    """Rows as {column: text}; the first row names the columns. Blank rows are skipped.

    An .xlsx is read only up to ``last_row`` and ``last_column`` (found beforehand by
    :func:`customer.operations.xlsx_limits.inspect_xlsx`), so a sheet's declared size
    cannot make openpyxl fill in millions of empty cells."""
    rows = (
        _csv_rows(path)
        if sheet_format == SheetFormat.CSV
        else _xlsx_rows(path, last_row, last_column)
    )
    try:
        header = next(rows)
    except StopIteration:
        raise UnreadableFile("the file is empty") from None
    columns = [name.strip().lower() for name in header]
    for values in rows:
        if not any(values):
            continue
        yield dict(zip(columns, values, strict=False))


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                yield [cell.strip() for cell in row]
    except UnicodeDecodeError:
        raise UnreadableFile("a .csv file must be UTF-8") from None


def _xlsx_rows(path: Path, last_row: int, last_column: int) -> Iterator[list[str]]:
    if last_row < 1 or last_column < 1:
        return
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise UnreadableFile(f"not a readable .xlsx file: {type(error).__name__}") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_row=last_row, max_col=last_column, values_only=True):
            yield [_cell_text(cell) for cell in row]
    finally:
        workbook.close()


def defuse(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is prefixed with ``'`` (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_header(header: Sequence[str]) -> bytes:
    """The header line, after a UTF-8 byte-order mark so spreadsheet apps read it right."""
    return "\ufeff".encode() + csv_lines([header])


def csv_lines(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([defuse(_cell_text(value)) for value in row])
    return buffer.getvalue().encode()


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("customers")
    sheet.append(list(header))
    for row in rows:
        sheet.append([defuse(_cell_text(value)) for value in row])
    workbook.save(path)


async def csv_stream(
    header: Sequence[str], rows: AsyncIterable[Sequence[Any]], *, batch: int = 500
) -> AsyncIterator[bytes]:
    """A .csv as it is produced, ``batch`` rows a piece, for a streamed response."""
    yield csv_header(header)
    pending: list[Sequence[Any]] = []
    async for row in rows:
        pending.append(row)
        if len(pending) == batch:
            yield csv_lines(pending)
            pending = []
    yield csv_lines(pending)


async def xlsx_file(header: Sequence[str], rows: AsyncIterable[Sequence[Any]]) -> Path:
    """The rows in a temporary .xlsx, written in a worker thread; the caller removes it."""
    collected = [row async for row in rows]
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = Path(handle.name)
    await asyncio.to_thread(write_xlsx, path, header, collected)
    return path
