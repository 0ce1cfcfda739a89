"""Checking an uploaded .xlsx against size limits before openpyxl reads it.

An .xlsx is a zip of XML parts, and openpyxl believes what they declare: a sheet of a
few kilobytes with cells at ``A1``, ``XFD1`` and ``A1048576`` makes it fill in every
empty cell between them (17 billion), and a small zip can unpack to gigabytes of shared
strings. So before openpyxl sees a file, the zip's declared sizes are added up (Python's
zipfile never unpacks more than a member declares) and every sheet is scanned with a
streaming parser that stops at the first row or column past the limit. The extent found
then bounds openpyxl's reading.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from customer.operations.tabular import UnreadableFile

_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_CHUNK_BYTES = 64 * 1024
MAX_MEMBERS = 10_000


class SheetTooLarge(UnreadableFile):
    """The sheet reaches past the rows or columns an import may have."""


class UnpacksTooLarge(UnreadableFile):
    """The zip unpacks to more than an import may hold in memory."""


@dataclass(frozen=True)
class SheetLimits:
    rows: int  # including the header row
    columns: int
    unpacked_bytes: int


@dataclass(frozen=True)
class SheetExtent:
    """The last row and column any sheet of the file uses."""

    rows: int
    columns: int


def inspect_xlsx(path: Path, limits: SheetLimits) -> SheetExtent:
    """Check the file against ``limits`` without building its sheets; raise
    :class:`UnpacksTooLarge`, :class:`SheetTooLarge` or :class:`UnreadableFile`."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnreadableFile(f"the file holds more than {MAX_MEMBERS} parts")
            unpacked = sum(member.file_size for member in members)
            if unpacked > limits.unpacked_bytes:
                raise UnpacksTooLarge(
                    f"the file unpacks to {unpacked} bytes; at most {limits.unpacked_bytes}"
                )
            extent = SheetExtent(0, 0)
            for member in members:
                if not member.filename.lower().endswith(".xml"):
                    continue
                with archive.open(member) as source:
                    found = _scan(source, limits)
                extent = SheetExtent(
                    max(extent.rows, found.rows), max(extent.columns, found.columns)
                )
            return extent
    # zipfile refuses broken, encrypted or oddly compressed parts with these
    except (zipfile.BadZipFile, NotImplementedError, EOFError, RuntimeError, zlib.error) as error:
        raise UnreadableFile(f"not a readable .xlsx file: {type(error).__name__}") from None


class _SheetScan:
    """Expat handlers that follow ``sheetData`` rows and cells, keeping nothing else."""

    def __init__(self, limits: SheetLimits) -> None:
        self.limits = limits
        self.rows = 0
        self.columns = 0
        self._in_data = False
        self._row_elements = 0
        self._row = 0
        self._column = 0
        self._cells_in_row = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "sheetData":
            self._in_data = True
        elif not self._in_data:
            return
        elif local == "row":
            self._row_elements += 1
            if self._row_elements > self.limits.rows:
                self._too_many_rows()
            reference = attributes.get("r")
            if reference is None:
                self._row += 1
            elif reference.isdigit() and len(reference) <= 7:
                self._row = int(reference)
            else:
                raise UnreadableFile(f"not a readable .xlsx file: bad row number {reference!r}")
            self._column = self._cells_in_row = 0
            self._reach(self._row, 0)
        elif local == "c":
            self._cells_in_row += 1
            if self._cells_in_row > self.limits.columns:
                self._too_many_columns(self._cells_in_row)
            reference = attributes.get("r")
            row, column = self._row, self._column + 1
            if reference is not None:
                match = _CELL_REFERENCE.fullmatch(reference)
                if match is None:
                    raise UnreadableFile(f"not a readable .xlsx file: bad cell {reference!r}")
                row, column = int(match[2]), column_index_from_string(match[1])
            self._column = column
            self._reach(row, column)

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "sheetData":
            self._in_data = False

    def _reach(self, row: int, column: int) -> None:
        if row > self.limits.rows:
            self._too_many_rows(row)
        if column > self.limits.columns:
            self._too_many_columns(column)
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)

    def _too_many_rows(self, row: int | None = None) -> None:
        at = "" if row is None else f"reaches row {row}; it "
        raise SheetTooLarge(
            f"the sheet {at}may have at most {self.limits.rows - 1} rows under its header"
        )

    def _too_many_columns(self, column: int) -> None:
        raise SheetTooLarge(
            f"the sheet reaches column {get_column_letter(min(column, 18278))}; "
            f"it may have at most {self.limits.columns} columns"
        )


def _scan(source: IO[bytes], limits: SheetLimits) -> SheetExtent:
    scan = _SheetScan(limits)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    try:
        while chunk := source.read(_CHUNK_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise UnreadableFile(f"not a readable .xlsx file: {error}") from None
    return SheetExtent(scan.rows, scan.columns)
