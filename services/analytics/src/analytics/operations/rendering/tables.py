"""Reports as tables, exported to CSV or XLSX.

Spreadsheet formula injection: a cell text starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return is run as a formula by Excel and LibreOffice, so such texts
(names come from users) are prefixed with a single quote, as OWASP recommends.
Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from pydantic import BaseModel

from analytics.domain.campaigns import CampaignReport
from analytics.domain.reports import (
    ForecastReport,
    FunnelReport,
    PerformanceReport,
    SupportReport,
    TrendPoint,
)

Cell = str | int | float | Decimal | None
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def _rows(models: Sequence[BaseModel], headers: list[str]) -> list[list[Cell]]:
    return [[getattr(model, name) for name in headers] for model in models]


def report_table(name: str, report: Any) -> Table:
    """The tabular form of a report, one row per stage, group, period or campaign."""
    match report:
        case FunnelReport():
            headers = ["stage", "probability", "entered", "conversion_to_next"]
            return Table(
                "Funnel",
                [*headers, "average_days_in_stage"],
                _rows(report.stages, [*headers, "average_days_in_stage"]),
            )
        case PerformanceReport():
            headers = [
                "group", "opportunities", "won", "lost", "win_rate", "close_rate",
                "average_days_to_close", "revenue",
            ]  # fmt: skip
            return Table(
                "Sales performance", headers, _rows([*report.rows, report.totals], headers)
            )
        case ForecastReport():
            headers = ["group", "open", "amount", "weighted"]
            return Table("Forecast", headers, _rows(report.by_group, headers))
        case CampaignReport():
            headers = [
                "campaign_id", "name", "status", "cost", "revenue", "participants", "converted",
                "participation", "conversion", "roi", "cpa", "open_rate", "click_rate",
            ]  # fmt: skip
            return Table("Campaigns", headers, _rows([*report.campaigns, report.totals], headers))
        case SupportReport():
            headers = [
                "period", "opened", "resolved", "sla_attainment", "first_contact_resolution",
                "average_handling_hours", "average_first_response_minutes", "surveys", "csat",
            ]  # fmt: skip
            return Table("Support", headers, _rows([*report.by_month, report.totals], headers))
        case list():
            headers = ["period", "won", "revenue"]
            points = [p for p in report if isinstance(p, TrendPoint)]
            return Table("Revenue trend", headers, _rows(points, headers))
    raise ValueError(f"no table for report {name}")


def safe_cell(value: Cell) -> Cell:
    """Neutralise text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, Decimal):
        return float(value)  # spreadsheet cells are binary floating point anyway
    cell = safe_cell(value)
    if isinstance(cell, str):
        return cell  # openpyxl would still treat a leading "=" as a formula
    return cell
