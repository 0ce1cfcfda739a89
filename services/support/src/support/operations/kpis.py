"""KPI reports over the tickets of a period, with their survey scores."""

from __future__ import annotations

from datetime import datetime

from support.components import Components
from support.domain.kpis import KpiReport, kpi_report


async def support_kpis(
    support: Components, *, period_start: datetime, period_end: datetime
) -> KpiReport:
    facts = await support.tickets.facts(opened_from=period_start, opened_to=period_end)
    scores = await support.surveys.scores_for([f.ticket_id for f in facts])
    with_scores = [f.model_copy(update={"survey_score": scores.get(f.ticket_id)}) for f in facts]
    return kpi_report(
        with_scores, period_start=period_start, period_end=period_end, now=support.now()
    )
