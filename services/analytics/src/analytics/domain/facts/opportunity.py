"""The opportunity fact: stage path, amount, owner and outcome of one opportunity."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from analytics.domain.facts.base import Fact, Marker, is_newer, marker
from crm_chassis.clock import stored_time
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import (
    OpportunityCreated,
    OpportunityLost,
    OpportunityStageChanged,
    OpportunityWon,
)

WON_STAGE = "won"


class StageEntry(BaseModel):
    """The opportunity entered ``stage`` at ``at`` (from its creation or a stage change)."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    event_id: str
    stage: str
    probability: Decimal


class OpportunityFact(Fact):
    customer_id: str | None = None
    owner_id: str | None = None
    team: str | None = None
    pipeline_id: str | None = None
    amount: Decimal = Decimal(0)
    probability: Decimal = Decimal(0)
    currency: str = "CNY"
    snapshot: Marker | None = None
    stage_snapshot: Marker | None = None
    created_at: datetime | None = None
    expected_close: str | None = None
    entries: tuple[StageEntry, ...] = ()
    status: Literal["open", "won", "lost"] = "open"
    closed_at: datetime | None = None
    close: Marker | None = None

    @property
    def stage(self) -> str | None:
        return self.entries[-1].stage if self.entries else None

    def stage_durations(self) -> list[tuple[str, float]]:
        """Seconds spent in each stage that was left (by a later stage or by closing)."""
        durations = []
        for current, following in zip(self.entries, self.entries[1:], strict=False):
            durations.append((current.stage, (following.at - current.at).total_seconds()))
        if self.entries and self.closed_at is not None and self.closed_at >= self.entries[-1].at:
            last = self.entries[-1]
            if last.stage != WON_STAGE:
                durations.append((last.stage, (self.closed_at - last.at).total_seconds()))
        return durations

    def stages_entered(self) -> dict[str, Decimal]:
        """Each stage the opportunity was ever in, with its win probability; a won
        opportunity has entered ``won`` even if sales sent no stage change for it."""
        stages = {entry.stage: entry.probability for entry in self.entries}
        if self.status == "won":
            stages.setdefault(WON_STAGE, Decimal(1))
        return stages

    def days_to_close(self) -> float | None:
        if self.created_at is None or self.closed_at is None:
            return None
        return (self.closed_at - self.created_at).total_seconds() / 86400


OpportunityEvent = OpportunityCreated | OpportunityStageChanged | OpportunityWon | OpportunityLost


def fold_opportunity(
    fact: OpportunityFact | None, event_id: str, data: EventData
) -> OpportunityFact:
    """The fact after one more event, whatever order the events arrive in."""
    assert isinstance(data, OpportunityEvent)
    current = fact or OpportunityFact(id=data.opportunity_id)
    changes: dict[str, object] = {}
    if isinstance(data, OpportunityCreated):
        at = data.created_at
        changes.update(
            created_at=stored_time(data.created_at),
            expected_close=data.expected_close.isoformat() if data.expected_close else None,
        )
        changes["entries"] = _with_entry(
            current.entries, at, event_id, data.stage, as_fraction(data.probability)
        )
    elif isinstance(data, OpportunityStageChanged):
        at = data.changed_at
        changes["entries"] = _with_entry(
            current.entries, at, event_id, data.to_stage, as_fraction(data.probability)
        )
    else:
        at = data.closed_at
        changes["created_at"] = current.created_at or stored_time(data.created_at)
        closing = marker(data.closed_at, event_id)
        if is_newer(closing, current.close):
            changes.update(
                status="won" if isinstance(data, OpportunityWon) else "lost",
                closed_at=stored_time(data.closed_at),
                close=closing,
            )
    snapshot = marker(at, event_id)
    if is_newer(snapshot, current.snapshot):
        changes.update(
            snapshot=snapshot,
            customer_id=data.customer_id,
            owner_id=data.owner_id,
            team=data.team,
            amount=data.amount,
            currency=data.currency,
        )
    if isinstance(data, OpportunityCreated | OpportunityStageChanged) and is_newer(
        snapshot, current.stage_snapshot
    ):
        changes.update(
            stage_snapshot=snapshot,
            pipeline_id=data.pipeline_id,
            probability=as_fraction(data.probability),
        )
    return current.model_copy(update=changes)


def as_fraction(probability: Decimal) -> Decimal:
    """Stage probabilities as a fraction of 1. The sales service publishes percentages
    (``60`` for 60 %); a value of at most 1 is taken as a fraction already."""
    return probability / 100 if probability > 1 else probability


def _with_entry(
    entries: tuple[StageEntry, ...], at: datetime, event_id: str, stage: str, probability: Decimal
) -> tuple[StageEntry, ...]:
    if any(entry.event_id == event_id for entry in entries):
        return entries
    entry = StageEntry(at=stored_time(at), event_id=event_id, stage=stage, probability=probability)
    return tuple(sorted((*entries, entry), key=lambda e: (e.at, e.event_id)))
