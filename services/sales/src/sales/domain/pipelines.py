"""Pipelines (S-5): ordered stages with a win probability and gates to enter them."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sales.domain.money import Percent

DEFAULT_PIPELINE_ID = "default"


class StageKind(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class GateField(StrEnum):
    """Opportunity fields a stage can require before it is entered."""

    CONTACT_ID = "contact_id"
    NEEDS = "needs"
    DECISION_MAKER = "decision_maker"
    AMOUNT = "amount"
    EXPECTED_CLOSE = "expected_close"
    QUOTE_ID = "quote_id"
    CONTRACT_NUMBER = "contract_number"
    PRODUCT = "product"


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    name: str = Field(min_length=1, max_length=80)
    probability: Percent
    kind: StageKind = StageKind.OPEN
    required_fields: list[GateField] = Field(default_factory=list)


class Pipeline(BaseModel):
    pipeline_id: str
    name: str
    version: int = 1
    stages: list[Stage]
    stall_days: int | None = Field(
        default=None, ge=1, le=365, description="Days without a stage change before an alert"
    )

    @model_validator(mode="after")
    def _well_formed(self) -> Pipeline:
        keys = [stage.key for stage in self.stages]
        if len(set(keys)) != len(keys):
            raise ValueError("stage keys must be unique")
        kinds = [stage.kind for stage in self.stages]
        if kinds.count(StageKind.WON) != 1 or kinds.count(StageKind.LOST) != 1:
            raise ValueError("a pipeline needs exactly one won and one lost stage")
        if not any(kind is StageKind.OPEN for kind in kinds):
            raise ValueError("a pipeline needs at least one open stage")
        return self

    def stage(self, key: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.key == key), None)

    def index(self, key: str) -> int:
        return [stage.key for stage in self.stages].index(key)

    @property
    def first_stage(self) -> Stage:
        return next(stage for stage in self.stages if stage.kind is StageKind.OPEN)

    @property
    def open_stages(self) -> list[Stage]:
        return [stage for stage in self.stages if stage.kind is StageKind.OPEN]

    def stages_up_to(self, key: str) -> list[Stage]:
        """Open stages before ``key`` and ``key`` itself: the gates an advance must pass."""
        target = self.index(key)
        return [
            stage
            for position, stage in enumerate(self.stages)
            if position <= target and (stage.kind is StageKind.OPEN or stage.key == key)
        ]


def default_pipeline() -> Pipeline:
    """The default pipeline of S-5 with its probabilities and gates."""

    def stage(
        key: str, name: str, pct: int, *gates: GateField, kind: StageKind = StageKind.OPEN
    ) -> Stage:
        return Stage(
            key=key, name=name, probability=Decimal(pct), kind=kind, required_fields=list(gates)
        )

    return Pipeline(
        pipeline_id=DEFAULT_PIPELINE_ID,
        name="Default sales pipeline",
        stages=[
            stage("lead_generated", "Lead generated", 10),
            stage("qualified", "Qualified", 20, GateField.CONTACT_ID),
            stage("needs_confirmed", "Needs confirmed", 40, GateField.NEEDS),
            stage("demo", "Demo", 50, GateField.DECISION_MAKER),
            stage("proposal", "Proposal", 60, GateField.AMOUNT, GateField.EXPECTED_CLOSE),
            stage("negotiation", "Negotiation", 80),
            stage(
                "won", "Won (contract signed)", 100, GateField.CONTRACT_NUMBER, kind=StageKind.WON
            ),
            stage("lost", "Lost", 0, kind=StageKind.LOST),
        ],
    )
