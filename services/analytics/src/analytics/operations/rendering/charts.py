"""Charts of the reports, drawn with matplotlib's Agg backend (no display needed).

Figures are created with the object API (``Figure``), never pyplot's global state,
so rendering is safe from worker threads.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, Literal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analytics.domain.campaigns import CampaignReport
from analytics.domain.reports import (
    ForecastReport,
    FunnelReport,
    PerformanceReport,
    SupportReport,
    TrendPoint,
)

ChartFormat = Literal["png", "svg"]
MEDIA_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}
_COLOR = "#2f6db5"


def _figure(title: str) -> tuple[Figure, Any]:
    figure = Figure(figsize=(8, 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(title)
    return figure, axes


def _bars(
    title: str, labels: Sequence[str], values: Sequence[float], unit: str, horizontal: bool
) -> Figure:
    figure, axes = _figure(title)
    if not labels:
        axes.text(0.5, 0.5, "No data for these filters", ha="center", va="center")
        axes.set_axis_off()
        return figure
    if horizontal:
        axes.barh(list(labels), list(values), color=_COLOR)
        axes.invert_yaxis()
        axes.set_xlabel(unit)
    else:
        axes.bar(list(labels), list(values), color=_COLOR)
        axes.set_ylabel(unit)
        axes.tick_params(axis="x", labelrotation=45)
    return figure


def report_chart(report: Any) -> Figure:
    """The one chart that best shows a report."""
    match report:
        case FunnelReport():
            stages = report.stages
            return _bars(
                "Sales funnel", [s.stage for s in stages], [s.entered for s in stages],
                "opportunities", horizontal=True,
            )  # fmt: skip
        case PerformanceReport():
            rows = report.rows
            return _bars(
                f"Revenue by {report.group_by}", [r.group for r in rows],
                [float(r.revenue) for r in rows], "revenue", horizontal=False,
            )  # fmt: skip
        case ForecastReport():
            expected = report.by_expected_close
            return _bars(
                "Weighted pipeline by expected close", [r.group for r in expected],
                [float(r.weighted) for r in expected], "weighted amount", horizontal=False,
            )  # fmt: skip
        case CampaignReport():
            campaigns = [c for c in report.campaigns if c.roi is not None]
            return _bars(
                "Campaign ROI", [c.name for c in campaigns], [c.roi or 0.0 for c in campaigns],
                "ROI", horizontal=True,
            )  # fmt: skip
        case SupportReport():
            months = report.by_month
            return _bars(
                "CSAT by month", [m.period for m in months], [m.csat or 0.0 for m in months],
                "share satisfied", horizontal=False,
            )  # fmt: skip
        case list():
            points = [p for p in report if isinstance(p, TrendPoint)]
            return _bars(
                "Revenue trend", [p.period for p in points], [float(p.revenue) for p in points],
                "revenue", horizontal=False,
            )  # fmt: skip
    raise ValueError("no chart for this report")


def render(figure: Figure, fmt: ChartFormat) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()


def chart_bytes(report: Any, fmt: ChartFormat) -> bytes:
    return render(report_chart(report), fmt)
