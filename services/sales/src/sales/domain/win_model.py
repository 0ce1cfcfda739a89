"""Win-probability prediction (S-11): logistic regression over closed opportunities.

Features are what is known about an opportunity while it is open: the lead score,
an amount band, the best stage probability reached, the customer tier, the source
channel, how often it slid back a stage, and whether needs and a decision maker
are known. The stage probability alone is the baseline the model must beat; with
too little history the prediction falls back to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from pydantic import BaseModel

from sales.domain.opportunities import Opportunity, OpportunityStatus

AMOUNT_BANDS = (Decimal(10_000), Decimal(50_000), Decimal(200_000), Decimal(1_000_000))
CHANNELS = ("web_form", "campaign", "import", "api")
FEATURES = (
    "lead_score",
    "amount_band",
    "stage_probability",
    "tier_vip",
    "tier_svip",
    *(f"channel_{channel}" for channel in CHANNELS),
    "setbacks",
    "needs_known",
    "decision_maker_known",
)
MIN_PER_CLASS = 5
HOLDOUT_SHARE = 0.25
SEED = 7


class PriorityBand(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class PredictionSource(StrEnum):
    MODEL = "model"
    STAGE_PROBABILITY = "stage_probability"


class WinModel(BaseModel):
    """A trained model: enough to predict without scikit-learn, and its report."""

    model_id: str
    trained_at: datetime
    samples: int
    won: int
    features: list[str]
    coefficients: list[float]
    intercept: float
    holdout_samples: int
    holdout_auc: float
    baseline_auc: float


class Prediction(BaseModel):
    probability: Decimal
    band: PriorityBand
    source: PredictionSource


@dataclass(frozen=True)
class NotEnoughHistory(Exception):
    samples: int
    needed: int


def amount_band(amount: Decimal) -> int:
    return sum(1 for bound in AMOUNT_BANDS if amount >= bound)


def setbacks(opportunity: Opportunity) -> int:
    """How often the opportunity went back to a stage with a lower probability (open only)."""
    history = [c.probability for c in opportunity.stage_history if 0 < c.probability < 100]
    return sum(1 for before, after in pairwise(history) if after < before)


def features(opportunity: Opportunity, tier: str | None) -> list[float]:
    score = opportunity.lead_score if opportunity.lead_score is not None else 50
    channel = opportunity.source_channel or ""
    return [
        score / 100,
        amount_band(opportunity.amount) / len(AMOUNT_BANDS),
        float(opportunity.highest_open_probability()) / 100,
        1.0 if tier == "vip" else 0.0,
        1.0 if tier == "svip" else 0.0,
        *(1.0 if channel == known else 0.0 for known in CHANNELS),
        min(setbacks(opportunity), 5) / 5,
        1.0 if opportunity.needs else 0.0,
        1.0 if opportunity.decision_maker else 0.0,
    ]


def band(probability: Decimal) -> PriorityBand:
    if probability > Decimal("0.75"):
        return PriorityBand.HIGH
    if probability >= Decimal("0.50"):
        return PriorityBand.MEDIUM
    return PriorityBand.LOW


def train(
    closed: Sequence[tuple[Opportunity, str | None]],
    *,
    model_id: str,
    now: datetime,
    min_samples: int,
) -> WinModel:
    """Fit on closed opportunities; report AUC on a held-out quarter against the
    stage-probability baseline, then refit on everything for serving."""
    rows = [(o, t) for o, t in closed if o.status is not OpportunityStatus.OPEN]
    outcomes = [1 if o.status is OpportunityStatus.WON else 0 for o, _ in rows]
    won = sum(outcomes)
    if len(rows) < min_samples or min(won, len(rows) - won) < MIN_PER_CLASS:
        raise NotEnoughHistory(samples=len(rows), needed=min_samples)
    # Imported here: scikit-learn takes seconds to import and only training needs it.
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    labels = np.array(outcomes)
    matrix = np.array([features(o, t) for o, t in rows])
    train_x, test_x, train_y, test_y = train_test_split(
        matrix, labels, test_size=HOLDOUT_SHARE, random_state=SEED, stratify=labels
    )
    holdout = LogisticRegression(max_iter=1000).fit(train_x, train_y)
    holdout_auc = float(roc_auc_score(test_y, holdout.predict_proba(test_x)[:, 1]))
    stage_column = FEATURES.index("stage_probability")
    baseline_auc = float(roc_auc_score(test_y, test_x[:, stage_column]))
    final = LogisticRegression(max_iter=1000).fit(matrix, labels)
    return WinModel(
        model_id=model_id,
        trained_at=now,
        samples=len(rows),
        won=won,
        features=list(FEATURES),
        coefficients=[float(c) for c in final.coef_[0]],
        intercept=float(final.intercept_[0]),
        holdout_samples=len(test_y),
        holdout_auc=round(holdout_auc, 4),
        baseline_auc=round(baseline_auc, 4),
    )


def predict(model: WinModel | None, opportunity: Opportunity, tier: str | None) -> Prediction:
    """The model's win probability, or the stage probability without a model."""
    if opportunity.status is OpportunityStatus.WON:
        return Prediction(
            probability=Decimal(1),
            band=PriorityBand.HIGH,
            source=PredictionSource.STAGE_PROBABILITY,
        )
    if model is None or opportunity.status is OpportunityStatus.LOST:
        probability = (opportunity.probability / 100).quantize(Decimal("0.0001"))
        return Prediction(
            probability=probability,
            band=band(probability),
            source=PredictionSource.STAGE_PROBABILITY,
        )
    logit = model.intercept + sum(
        weight * value
        for weight, value in zip(model.coefficients, features(opportunity, tier), strict=True)
    )
    probability = Decimal(str(round(1 / (1 + math.exp(-logit)), 4)))
    return Prediction(
        probability=probability, band=band(probability), source=PredictionSource.MODEL
    )
