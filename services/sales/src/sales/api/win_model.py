"""/api/v1/win-model: train on demand, the model's report, and win predictions."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crm_chassis.errors import Conflict, NotFound
from sales.api.deps import ComponentsDep, ReadSales, SalesAdmin
from sales.api.opportunities import visible_opportunity
from sales.api.visibility import scope_filter
from sales.domain.opportunities import Opportunity
from sales.domain.win_model import NotEnoughHistory, Prediction, PriorityBand, WinModel
from sales.operations import win_model as win_ops

router = APIRouter(prefix="/api/v1/win-model", tags=["win model"])


class OpportunityPrediction(Prediction):
    opportunity_id: str
    name: str
    owner_id: str | None
    stage: str
    stage_probability: Decimal
    amount: Decimal
    currency: str


def _shape(opportunity: Opportunity, prediction: Prediction) -> OpportunityPrediction:
    return OpportunityPrediction(
        **prediction.model_dump(),
        opportunity_id=opportunity.opportunity_id,
        name=opportunity.name,
        owner_id=opportunity.owner_id,
        stage=opportunity.stage,
        stage_probability=opportunity.probability,
        amount=opportunity.amount,
        currency=opportunity.currency,
    )


class TrainingOut(BaseModel):
    model: WinModel
    beats_baseline: bool


@router.post("/training")
async def train_model(principal: SalesAdmin, parts: ComponentsDep) -> TrainingOut:
    """Retrain now on every closed opportunity; the report gives held-out AUC vs the
    stage-probability baseline."""
    try:
        model = await win_ops.retrain(parts, parts.settings.win_model_min_samples)
    except NotEnoughHistory as short:
        raise Conflict(
            f"Only {short.samples} closed opportunities (need {short.needed}, both won and lost); "
            "predictions use stage probabilities meanwhile."
        ) from None
    return TrainingOut(model=model, beats_baseline=model.holdout_auc > model.baseline_auc)


@router.get("")
async def current_model(principal: ReadSales, parts: ComponentsDep) -> WinModel:
    model = await parts.win_models.latest()
    if model is None:
        raise NotFound("No model trained yet; predictions use stage probabilities.")
    return model


@router.get("/predictions")
async def open_predictions(
    principal: ReadSales,
    parts: ComponentsDep,
    band: PriorityBand | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OpportunityPrediction]:
    """Open opportunities the caller may see, most likely to win first."""
    query = {**scope_filter(principal), "status": "open"}
    opportunities = await parts.opportunities.find(query, sort=[("_id", 1)], limit=5000)
    predicted = [_shape(o, p) for o, p in await win_ops.predictions(parts, opportunities)]
    if band is not None:
        predicted = [p for p in predicted if p.band is band]
    predicted.sort(key=lambda p: p.probability, reverse=True)
    return predicted[:limit]


@router.get("/predictions/{opportunity_id}")
async def predict_one(
    opportunity_id: str, principal: ReadSales, parts: ComponentsDep
) -> OpportunityPrediction:
    opportunity = await visible_opportunity(parts, principal, opportunity_id)
    [(_, prediction)] = await win_ops.predictions(parts, [opportunity])
    return _shape(opportunity, prediction)
