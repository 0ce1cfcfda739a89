"""The ticket fact and the survey fact: what the support KPIs are computed from."""

from __future__ import annotations

from datetime import datetime

from analytics.domain.facts.base import Fact, Marker, is_newer, marker
from crm_chassis.clock import stored_time
from crm_contracts.events import support
from crm_contracts.events.registry import EventData


class TicketFact(Fact):
    customer_id: str | None = None
    type: str | None = None
    priority: str | None = None
    channel: str | None = None
    opened_at: datetime | None = None
    status: str | None = None
    status_marker: Marker | None = None
    assignee_id: str | None = None
    team: str | None = None
    assignment: Marker | None = None
    resolution: Marker | None = None
    resolved_at: datetime | None = None
    first_response_seconds: float | None = None
    handling_seconds: float | None = None
    first_contact_resolution: bool | None = None
    sla_met: bool | None = None
    breached_clocks: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


def fold_ticket(fact: TicketFact | None, event_id: str, data: EventData) -> TicketFact:
    ticket_id = getattr(data, "ticket_id", None)
    assert isinstance(ticket_id, str)
    current = fact or TicketFact(id=ticket_id)
    changes: dict[str, object] = {}
    match data:
        case support.TicketOpened():
            changes.update(
                customer_id=data.customer_id,
                type=data.type,
                priority=data.priority,
                channel=data.channel,
                opened_at=stored_time(data.opened_at),
            )
            if current.status_marker is None:
                changes["status"] = "new"
        case support.TicketStatusChanged():
            status = marker(data.changed_at, event_id)
            if is_newer(status, current.status_marker):
                changes.update(status=data.to_status, status_marker=status)
            changes.update(_assignment(current, status, data.assignee_id, data.team))
        case support.TicketResolved():
            resolution = marker(data.resolved_at, event_id)
            if is_newer(resolution, current.resolution):
                changes.update(
                    resolution=resolution,
                    resolved_at=stored_time(data.resolved_at),
                    first_response_seconds=data.first_response_seconds,
                    handling_seconds=data.handling_seconds,
                    first_contact_resolution=data.first_contact_resolution,
                    sla_met=data.sla_met,
                    priority=current.priority or data.priority,
                    customer_id=current.customer_id or data.customer_id,
                    opened_at=current.opened_at or stored_time(data.opened_at),
                )
            changes.update(_assignment(current, resolution, data.assignee_id, data.team))
        case support.SlaBreached():
            changes["breached_clocks"] = tuple(sorted({*current.breached_clocks, data.clock}))
        case _:
            return current
    return current.model_copy(update=changes)


def _assignment(
    current: TicketFact, point: Marker, assignee_id: str | None, team: str | None
) -> dict[str, object]:
    """The assignee and team named by the newest event that names an assignee."""
    if assignee_id is None or not is_newer(point, current.assignment):
        return {}
    return {"assignee_id": assignee_id, "team": team, "assignment": point}


class SurveyFact(Fact):
    ticket_id: str | None = None
    customer_id: str | None = None
    agent_id: str | None = None
    score: int = 0
    answered_at: datetime | None = None
    answer: Marker | None = None

    @property
    def satisfied(self) -> bool:
        """CSAT counts answers of 4 or 5 on the 1-5 Likert scale as satisfied."""
        return self.score >= 4


def fold_survey(fact: SurveyFact | None, event_id: str, data: EventData) -> SurveyFact:
    assert isinstance(data, support.SurveyAnswered)
    current = fact or SurveyFact(id=data.survey_id)
    answer = marker(data.answered_at, event_id)
    if not is_newer(answer, current.answer):
        return current
    return current.model_copy(
        update={
            "ticket_id": data.ticket_id,
            "customer_id": data.customer_id,
            "agent_id": data.agent_id,
            "score": data.score,
            "answered_at": stored_time(data.answered_at),
            "answer": answer,
        }
    )
