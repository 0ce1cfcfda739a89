"""The opportunity aggregate (S-5, S-6): stage moves through gates, history, won/lost, stalls."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import (
    OpportunityCreated,
    OpportunityLost,
    OpportunityStageChanged,
    OpportunityStalled,
    OpportunityWon,
)
from sales.domain.pipelines import GateField, Pipeline, StageKind


class OpportunityStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class StageChange(BaseModel):
    from_stage: str | None
    to_stage: str
    probability: Decimal
    changed_at: datetime
    changed_by: str | None = None
    reason: str | None = None


class Opportunity(BaseModel):
    opportunity_id: str
    version: int = 1
    name: str
    customer_id: str
    contact_id: str | None = None
    lead_id: str | None = None
    pipeline_id: str
    stage: str
    probability: Decimal
    status: OpportunityStatus = OpportunityStatus.OPEN
    amount: Decimal = Decimal("0.00")
    currency: str = "CNY"
    expected_close: date | None = None
    owner_id: str | None = None
    team: str | None = None
    product: str | None = None
    needs: str | None = None
    decision_maker: str | None = None
    quote_id: str | None = None
    contract_number: str | None = None
    source_channel: str | None = None
    lead_score: int | None = None
    stage_history: list[StageChange] = Field(default_factory=list)
    stage_changed_at: datetime
    stall_alerted_for: datetime | None = None
    # Since when it is stalled: the moment it had sat in its stage for the pipeline's stall
    # days, set when the stall is detected; None while it is not stalled (cleared by a move).
    stalled_since: datetime | None = None
    close_reason: str | None = None
    closed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status is OpportunityStatus.OPEN

    def highest_open_probability(self) -> Decimal:
        """The best open-stage probability it reached (what the stage baseline predicts)."""
        reached = [change.probability for change in self.stage_history if change.probability < 100]
        positive = [p for p in reached if p > 0]
        return max(positive) if positive else self.probability


def open_opportunity(
    opportunity: Opportunity, pipeline: Pipeline, actor: str | None
) -> tuple[Opportunity, list[EventData]]:
    """A new opportunity in the pipeline's first stage (or the one given, if its gates pass)."""
    stage = pipeline.stage(opportunity.stage)
    if stage is None or stage.kind is not StageKind.OPEN:
        raise RuleViolation(
            f"{opportunity.stage!r} is not an open stage of this pipeline.", field="stage"
        )
    _check_gates(opportunity, pipeline, stage.key)
    now = opportunity.created_at
    opened = opportunity.model_copy(
        update={
            "probability": stage.probability,
            "stage_changed_at": now,
            "stage_history": [
                StageChange(
                    from_stage=None,
                    to_stage=stage.key,
                    probability=stage.probability,
                    changed_at=now,
                    changed_by=actor,
                )
            ],
        }
    )
    event = OpportunityCreated(
        opportunity_id=opened.opportunity_id,
        customer_id=opened.customer_id,
        name=opened.name,
        owner_id=opened.owner_id,
        team=opened.team,
        pipeline_id=opened.pipeline_id,
        stage=stage.key,
        probability=stage.probability,
        amount=opened.amount,
        currency=opened.currency,
        expected_close=opened.expected_close,
        created_at=now,
    )
    return opened, [event]


def missing_gate_fields(opportunity: Opportunity, pipeline: Pipeline, stage_key: str) -> list[str]:
    missing: list[str] = []
    for stage in pipeline.stages_up_to(stage_key):
        for gate in stage.required_fields:
            if not _gate_satisfied(opportunity, gate) and gate.value not in missing:
                missing.append(gate.value)
    return missing


def _gate_satisfied(opportunity: Opportunity, gate: GateField) -> bool:
    value: Any = getattr(opportunity, gate.value)
    if gate is GateField.AMOUNT:
        return isinstance(value, Decimal) and value > 0
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def _check_gates(opportunity: Opportunity, pipeline: Pipeline, stage_key: str) -> None:
    missing = missing_gate_fields(opportunity, pipeline, stage_key)
    if missing:
        raise RuleViolation(
            f"Stage {stage_key!r} needs: {', '.join(missing)}.", field=",".join(missing)
        )


def move_to_stage(
    opportunity: Opportunity,
    pipeline: Pipeline,
    stage_key: str,
    *,
    actor: str | None,
    now: datetime,
    reason: str | None = None,
) -> tuple[Opportunity, list[EventData]]:
    """Advance or step back; entering a stage (and those skipped) requires its gates."""
    if not opportunity.is_open:
        raise InvalidTransition(f"The opportunity is already {opportunity.status.value}.")
    target = pipeline.stage(stage_key)
    if target is None:
        raise RuleViolation(f"{stage_key!r} is not a stage of this pipeline.", field="stage")
    if target.key == opportunity.stage:
        return opportunity, []
    if target.kind is StageKind.LOST:
        if not reason:
            raise RuleViolation("Say why the opportunity was lost.", field="reason")
    elif pipeline.index(target.key) > pipeline.index(opportunity.stage):
        _check_gates(opportunity, pipeline, target.key)
    change = StageChange(
        from_stage=opportunity.stage,
        to_stage=target.key,
        probability=target.probability,
        changed_at=now,
        changed_by=actor,
        reason=reason,
    )
    status = {
        StageKind.OPEN: OpportunityStatus.OPEN,
        StageKind.WON: OpportunityStatus.WON,
        StageKind.LOST: OpportunityStatus.LOST,
    }[target.kind]
    closed = status is not OpportunityStatus.OPEN
    moved = opportunity.model_copy(
        update={
            "stage": target.key,
            "probability": target.probability,
            "status": status,
            "stage_changed_at": now,
            "stalled_since": None,
            "stage_history": [*opportunity.stage_history, change],
            "close_reason": reason if closed else None,
            "closed_at": now if closed else None,
            "updated_at": now,
        }
    )
    facts = {
        "opportunity_id": moved.opportunity_id,
        "customer_id": moved.customer_id,
        "owner_id": moved.owner_id,
        "team": moved.team,
        "amount": moved.amount,
        "currency": moved.currency,
    }
    events: list[EventData] = [
        OpportunityStageChanged(
            **facts,
            pipeline_id=moved.pipeline_id,
            from_stage=opportunity.stage,
            to_stage=target.key,
            probability=target.probability,
            changed_at=now,
        )
    ]
    closing = {"created_at": moved.created_at, "closed_at": now}
    if status is OpportunityStatus.WON:
        events.append(OpportunityWon(**facts, **closing))
    elif status is OpportunityStatus.LOST:
        events.append(OpportunityLost(**facts, **closing, reason=reason))
    return moved, events


def edit_opportunity(
    opportunity: Opportunity, changes: dict[str, Any], now: datetime
) -> Opportunity:
    if not opportunity.is_open:
        raise InvalidTransition(f"A {opportunity.status.value} opportunity cannot be edited.")
    return opportunity.model_copy(update={**changes, "updated_at": now})


def stall_started_at(opportunity: Opportunity, now: datetime, stall_days: int) -> datetime | None:
    """When the current stall began, if the opportunity is stalled and not yet alerted for it."""
    if not opportunity.is_open:
        return None
    if now - opportunity.stage_changed_at < timedelta(days=stall_days):
        return None
    if opportunity.stall_alerted_for == opportunity.stage_changed_at:
        return None
    return opportunity.stage_changed_at


def stall_alert(
    opportunity: Opportunity,
    *,
    manager_id: str | None,
    now: datetime,
    stall_days: int,
) -> tuple[Opportunity, list[EventData]]:
    """Mark the opportunity stalled, since the moment it had sat ``stall_days`` in its
    stage, and tell its owner and their team's managers (``opportunity.stalled``)."""
    idle_days = (now - opportunity.stage_changed_at).days
    since = opportunity.stage_changed_at + timedelta(days=stall_days)
    alerted = opportunity.model_copy(
        update={"stall_alerted_for": opportunity.stage_changed_at, "stalled_since": since}
    )
    event = OpportunityStalled(
        opportunity_id=opportunity.opportunity_id,
        customer_id=opportunity.customer_id,
        owner_id=opportunity.owner_id,
        manager_id=manager_id,
        team=opportunity.team,
        name=opportunity.name,
        stage=opportunity.stage,
        idle_days=idle_days,
        detected_at=now,
    )
    return alerted, [event]
