"""Exports neutralise formulas; charts are real images; schedules run weekly."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from analytics.domain.campaigns import campaign_report
from analytics.domain.facts import CampaignFact
from analytics.domain.schedules import next_run
from analytics.operations.rendering.charts import chart_bytes
from analytics.operations.rendering.tables import Table, report_table, safe_cell, to_csv, to_xlsx


def test_text_that_a_spreadsheet_would_run_is_prefixed_with_a_quote() -> None:
    for text in ("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\r=x"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Spring sale") == "Spring sale"
    assert safe_cell(-2) == -2


def test_csv_and_xlsx_exports_keep_hostile_names_inert() -> None:
    hostile = '=HYPERLINK("http://evil","x")'
    report = campaign_report([CampaignFact(id="m1", name=hostile)])
    table = report_table("campaigns", report)
    assert "'=HYPERLINK" in to_csv(table).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert sheet["B2"].value == "'" + hostile
    assert sheet["B2"].data_type == "s"


def test_xlsx_writes_numbers_as_numbers() -> None:
    table = Table("t", ["n"], [[3], [1.5]])
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert [sheet["A2"].value, sheet["A3"].value] == [3, 1.5]


def test_charts_render_as_png_and_svg() -> None:
    report = campaign_report([CampaignFact(id="m1", name="Spring")])
    assert chart_bytes(report, "png").startswith(b"\x89PNG")
    assert b"<svg" in chart_bytes(report, "svg")[:400]


def test_next_run_is_the_next_weekday_slot_strictly_later() -> None:
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert next_run(0, 8, monday_9) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert next_run(0, 10, monday_9) == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert next_run(0, 9, monday_9) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert next_run(4, 8, monday_9) == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
