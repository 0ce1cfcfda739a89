from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from crm_contracts.events.sales import (
    OpportunityCreated,
    OpportunityLost,
    OpportunityStageChanged,
    OpportunityStalled,
    OpportunityWon,
)
from sales.domain.opportunities import (
    Opportunity,
    OpportunityStatus,
    move_to_stage,
    open_opportunity,
    stall_alert,
    stall_started_at,
)
from sales.domain.pipelines import default_pipeline

PIPELINE = default_pipeline()
MakeOpportunity = Callable[..., Opportunity]


def test_default_pipeline_has_the_specified_stages_and_probabilities() -> None:
    assert [(s.key, int(s.probability)) for s in PIPELINE.stages] == [
        ("lead_generated", 10),
        ("qualified", 20),
        ("needs_confirmed", 40),
        ("demo", 50),
        ("proposal", 60),
        ("negotiation", 80),
        ("won", 100),
        ("lost", 0),
    ]


def test_opening_records_the_first_stage_and_announces_it(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    opened, events = open_opportunity(make_opportunity(), PIPELINE, "rep-1")
    assert opened.stage_history[0].to_stage == "lead_generated"
    assert isinstance(events[0], OpportunityCreated)


def test_advancing_needs_the_gate_fields_of_every_stage_entered(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    opportunity = make_opportunity(contact_id="c-1")
    with pytest.raises(RuleViolation, match="needs, decision_maker"):
        move_to_stage(opportunity, PIPELINE, "demo", actor="rep-1", now=now)
    ready = opportunity.model_copy(update={"needs": "CRM", "decision_maker": "CTO"})
    moved, events = move_to_stage(ready, PIPELINE, "demo", actor="rep-1", now=now)
    assert moved.stage == "demo"
    assert moved.probability == Decimal(50)
    assert isinstance(events[0], OpportunityStageChanged)
    assert events[0].from_stage == "lead_generated"


def test_stepping_back_needs_no_gates_and_is_kept_in_history(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    opportunity = make_opportunity(contact_id="c-1", needs="CRM")
    forward, _ = move_to_stage(opportunity, PIPELINE, "needs_confirmed", actor="r", now=now)
    back, _ = move_to_stage(forward, PIPELINE, "qualified", actor="r", now=now)
    assert [c.to_stage for c in back.stage_history] == [
        "lead_generated",
        "needs_confirmed",
        "qualified",
    ]


def test_winning_needs_a_signed_contract_and_closes_with_an_event(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    complete = make_opportunity(
        contact_id="c",
        needs="n",
        decision_maker="d",
        expected_close=date(2027, 1, 1),
    )
    with pytest.raises(RuleViolation, match="contract_number"):
        move_to_stage(complete, PIPELINE, "won", actor="r", now=now)
    signed = complete.model_copy(update={"contract_number": "HT-1"})
    won, events = move_to_stage(signed, PIPELINE, "won", actor="r", now=now)
    assert won.status is OpportunityStatus.WON
    assert won.closed_at == now
    assert isinstance(events[-1], OpportunityWon)
    with pytest.raises(InvalidTransition):
        move_to_stage(won, PIPELINE, "negotiation", actor="r", now=now)


def test_losing_needs_a_reason_and_keeps_it(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    opportunity = make_opportunity()
    with pytest.raises(RuleViolation):
        move_to_stage(opportunity, PIPELINE, "lost", actor="r", now=now)
    lost, events = move_to_stage(opportunity, PIPELINE, "lost", actor="r", now=now, reason="price")
    assert lost.close_reason == "price"
    assert isinstance(events[-1], OpportunityLost)
    assert events[-1].reason == "price"


def test_stalled_opportunity_is_alerted_once_per_stall(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    opportunity = make_opportunity(stage_changed_at=now - timedelta(days=20), created_at=now)
    opportunity = opportunity.model_copy(update={"stage_changed_at": now - timedelta(days=20)})
    assert stall_started_at(opportunity, now, stall_days=14) is not None
    alerted, events = stall_alert(opportunity, manager_id="mgr", now=now, stall_days=14)
    assert isinstance(events[0], OpportunityStalled)
    assert events[0].idle_days == 20
    assert events[0].manager_id == "mgr"
    assert stall_started_at(alerted, now + timedelta(days=3), stall_days=14) is None
    moved, _ = move_to_stage(alerted, PIPELINE, "lost", actor="r", now=now, reason="x")
    assert stall_started_at(moved, now + timedelta(days=30), stall_days=14) is None


def test_recent_stage_change_is_not_stalled(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    opportunity = make_opportunity()
    assert stall_started_at(opportunity, now + timedelta(days=13), stall_days=14) is None


def test_a_stall_is_dated_from_the_pipeline_s_idle_days_and_cleared_by_a_move(
    make_opportunity: MakeOpportunity, now: datetime
) -> None:
    idle_since = now - timedelta(days=20)
    opportunity = make_opportunity(team="north").model_copy(
        update={"stage_changed_at": idle_since, "contact_id": "ct-1"}
    )
    alerted, [event] = stall_alert(opportunity, manager_id=None, now=now, stall_days=14)
    assert alerted.stalled_since == idle_since + timedelta(days=14)
    assert isinstance(event, OpportunityStalled)
    assert (event.team, event.name, event.owner_id) == ("north", "Rollout", "rep-1")
    moved, _ = move_to_stage(alerted, PIPELINE, "qualified", actor="r", now=now)
    assert moved.stalled_since is None
