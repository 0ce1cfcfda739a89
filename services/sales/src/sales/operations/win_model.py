"""Training the win model from stored history, and predicting for opportunities."""

from __future__ import annotations

import asyncio

from crm_chassis.clock import utc_now
from sales.components import Components
from sales.domain.opportunities import Opportunity
from sales.domain.win_model import Prediction, WinModel, predict, train
from sales.operations.ids import new_id

MAX_TRAINING_ROWS = 50_000


async def retrain(parts: Components, min_samples: int) -> WinModel:
    """Fit a new model on every closed opportunity (raises ``NotEnoughHistory``)."""
    closed = await parts.opportunities.find(
        {"status": {"$in": ["won", "lost"]}}, sort=[("closed_at", -1)], limit=MAX_TRAINING_ROWS
    )
    tiers = await parts.customers.tiers(sorted({o.customer_id for o in closed}))
    rows = [(o, tiers.get(o.customer_id)) for o in closed]
    # Fitting is CPU work: keep the event loop serving requests meanwhile.
    model = await asyncio.to_thread(
        train, rows, model_id=new_id(), now=utc_now(), min_samples=min_samples
    )
    await parts.win_models.add(model)
    return model


async def predictions(
    parts: Components, opportunities: list[Opportunity]
) -> list[tuple[Opportunity, Prediction]]:
    model = await parts.win_models.latest()
    tiers = await parts.customers.tiers(sorted({o.customer_id for o in opportunities}))
    return [(o, predict(model, o, tiers.get(o.customer_id))) for o in opportunities]
