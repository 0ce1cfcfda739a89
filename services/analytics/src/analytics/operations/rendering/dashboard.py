"""The main dashboard as one picture: headline tiles people can take in at a glance."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analytics.operations.reporting import Dashboard


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def dashboard_figure(figures: Dashboard) -> Figure:
    f = figures
    win_rate = _percent(f.win_rate)
    tiles = [
        ("Customers", f"{f.customers:,}", f"+{f.new_customers:,} this month"),
        ("Open pipeline", f"{f.open_opportunities:,}", f"weighted {f.weighted_pipeline:,.0f}"),
        ("Revenue", f"{f.revenue:,.0f}", f"{f.won} won, win rate {win_rate}"),
        ("Campaign ROI", _percent(f.campaign_roi), "all campaigns"),
        ("SLA attainment", _percent(f.sla_attainment), f"{f.tickets_resolved} resolved"),
        ("CSAT", _percent(f.csat), "answers scoring 4-5"),
    ]
    figure = Figure(figsize=(9, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    figure.suptitle(f"CRM dashboard {figures.period}", fontsize=14)
    for index, (title, value, note) in enumerate(tiles):
        axes = figure.add_subplot(2, 3, index + 1)
        axes.set_axis_off()
        axes.text(0.5, 0.75, title, ha="center", fontsize=11, color="#555555")
        axes.text(0.5, 0.42, value, ha="center", fontsize=20, color="#2f6db5")
        axes.text(0.5, 0.12, note, ha="center", fontsize=9, color="#777777")
    return figure
