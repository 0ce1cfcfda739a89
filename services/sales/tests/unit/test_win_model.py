from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest

from sales.domain.opportunities import Opportunity, move_to_stage
from sales.domain.pipelines import default_pipeline
from sales.domain.win_model import (
    NotEnoughHistory,
    PredictionSource,
    PriorityBand,
    band,
    predict,
    train,
)

PIPELINE = default_pipeline()
OPEN_STAGES = ["qualified", "needs_confirmed", "demo", "proposal", "negotiation"]


def history(
    make_opportunity: Callable[..., Opportunity], now: datetime, count: int, seed: int = 1
) -> list[tuple[Opportunity, str | None]]:
    """Closed opportunities whose outcome follows the lead score, not the stage reached."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        score = rng.randint(20, 100)
        won = rng.random() < (0.9 if score >= 60 else 0.1)
        opportunity = make_opportunity(
            opportunity_id=f"o{n}",
            lead_score=score,
            contact_id="c",
            needs="n",
            decision_maker="d",
            amount=Decimal(rng.choice(["5000.00", "80000.00", "300000.00"])),
            expected_close=now.date(),
            contract_number="HT",
        )
        reached, _ = move_to_stage(
            opportunity, PIPELINE, rng.choice(OPEN_STAGES), actor="r", now=now
        )
        closed, _ = move_to_stage(
            reached, PIPELINE, "won" if won else "lost", actor="r", now=now, reason="r"
        )
        rows.append((closed, rng.choice([None, "vip", "svip"])))
    return rows


def test_model_learns_a_known_pattern_and_beats_the_stage_baseline_on_held_out_data(
    make_opportunity: Callable[..., Opportunity], now: datetime
) -> None:
    model = train(history(make_opportunity, now, 400), model_id="m", now=now, min_samples=30)
    assert model.holdout_samples == 100
    assert model.holdout_auc > 0.8
    assert model.holdout_auc > model.baseline_auc + 0.2
    hot = make_opportunity(lead_score=95)
    cold = make_opportunity(lead_score=25)
    assert predict(model, hot, None).band is PriorityBand.HIGH
    assert predict(model, cold, None).band is PriorityBand.LOW
    assert predict(model, hot, None).source is PredictionSource.MODEL


def test_too_little_history_is_refused_and_prediction_falls_back_to_the_stage(
    make_opportunity: Callable[..., Opportunity], now: datetime
) -> None:
    with pytest.raises(NotEnoughHistory):
        train(history(make_opportunity, now, 20), model_id="m", now=now, min_samples=30)
    prediction = predict(None, make_opportunity(), None)
    assert prediction.source is PredictionSource.STAGE_PROBABILITY
    assert prediction.probability == Decimal("0.1")


@pytest.mark.parametrize(
    ("probability", "expected"),
    [("0.76", "high"), ("0.75", "medium"), ("0.50", "medium"), ("0.49", "low")],
)
def test_priority_bands_follow_the_75_and_50_percent_thresholds(
    probability: str, expected: str
) -> None:
    assert band(Decimal(probability)).value == expected
