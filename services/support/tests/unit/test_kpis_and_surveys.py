from datetime import UTC, datetime, timedelta

import pytest

from crm_chassis.domain_errors import RuleViolation, StateConflict
from support.domain.kpis import TicketFacts, kpi_report
from support.domain.surveys import answer, survey_for_ticket, survey_token, token_is_valid

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def facts(
    n: str,
    agent: str,
    *,
    reply_min: int | None,
    resolved_h: float | None,
    fcr: bool,
    score: int | None,
    opened_days_ago: float = 0,
) -> TicketFacts:

    opened = T0 - timedelta(days=opened_days_ago)
    return TicketFacts(
        ticket_id=n,
        assignee_id=agent,
        team="north",
        opened_at=opened,
        first_response_at=opened + timedelta(minutes=reply_min) if reply_min is not None else None,
        resolved_at=opened + timedelta(hours=resolved_h) if resolved_h is not None else None,
        is_open=resolved_h is None,
        first_contact_resolution=fcr,
        survey_score=score,
    )


def test_kpis_by_hand() -> None:
    tickets = [
        facts("1", "a", reply_min=2, resolved_h=1, fcr=True, score=5),
        facts("2", "a", reply_min=8, resolved_h=3, fcr=False, score=3),
        facts("3", "b", reply_min=None, resolved_h=None, fcr=False, score=None, opened_days_ago=2),
    ]
    report = kpi_report(
        tickets, period_start=T0 - timedelta(days=5), period_end=T0 + timedelta(days=1), now=T0
    )
    overall = report.overall
    assert overall.average_first_response_seconds == 300
    assert overall.first_contact_resolution_rate == 0.5
    assert overall.csat_rate == 0.5
    assert overall.average_handling_seconds == 2 * 3600
    assert overall.backlog_by_age["1_to_3_days"] == 1
    assert overall.meets_targets == {
        "first_response": True,
        "first_contact_resolution": False,
        "csat": False,
        "handling_time": True,
    }
    assert report.by_agent["b"].resolved == 0
    assert report.by_agent["b"].first_contact_resolution_rate is None


def test_survey_is_answered_once_with_a_score_from_1_to_5() -> None:
    survey = survey_for_ticket(
        survey_id="s1",
        ticket_id="t1",
        ticket_reference="TKT-1",
        customer_id=None,
        agent_id="a",
        team=None,
        email="x@y.z",
        now=T0,
    )
    with pytest.raises(RuleViolation):
        answer(survey, score=6, comment=None, now=T0)
    answered, events = answer(survey, score=4, comment="Quick", now=T0)
    assert len(events) == 1
    with pytest.raises(StateConflict):
        answer(answered, score=5, comment=None, now=T0)


def test_survey_link_token_is_bound_to_the_survey() -> None:
    assert token_is_valid("k", "s1", survey_token("k", "s1"))
    assert not token_is_valid("k", "s2", survey_token("k", "s1"))
