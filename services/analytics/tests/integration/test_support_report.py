"""The support report filtered by agent or team: every figure of theirs, the tickets
opened in the period as well as those resolved (T-7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_contracts.events import support

from ..factories import T0, ticket_opened, ticket_resolved
from .conftest import Service

pytestmark = pytest.mark.integration


async def test_the_support_report_counts_opened_tickets_of_the_agent_or_team_asked_for(
    service: Service,
) -> None:
    assigned = support.TicketStatusChanged(
        ticket_id="t3",
        from_status="new",
        to_status="assigned",
        assignee_id="agent-1",
        team="support-a",
        changed_at=T0 + timedelta(minutes=5),
    )
    await service.publish(
        *(ticket_opened(ticket_id) for ticket_id in ("t1", "t2", "t3", "t4")),
        ticket_resolved("t1", at=T0 + timedelta(hours=1), agent="agent-1", team="support-a"),
        ticket_resolved("t2", at=T0 + timedelta(hours=2), agent="agent-2", team="support-b"),
        assigned,
    )
    await service.settled(archived=7)
    month = {"period_from": "2026-11", "period_to": "2026-12"}

    async def totals(**filters: str) -> tuple[int, int]:
        report = await service.get("/api/v1/reports/support", **month, **filters)
        return report["totals"]["opened"], report["totals"]["resolved"]

    assert await totals() == (4, 2)
    assert await totals(owner="agent-1") == (2, 1)
    assert await totals(owner="agent-2") == (1, 1)
    assert await totals(team="support-b") == (1, 1)
    assert await totals(owner="agent-1", team="support-b") == (0, 0)
