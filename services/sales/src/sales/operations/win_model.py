"""Training the win model from stored history, and predicting for opportunities."""

from __future__ import annotations

import asyncio

from crm_chassis.clock import utc_now
from sales.domain.opportunities import Opportunity
from sales.domain.win_model import Prediction, WinModel, predict, train
from sales.operations.ids import new_id
from sales.store import SalesStore

MAX_TRAINING_ROWS = 50_000


async def retrain(store: SalesStore, min_samples: int) -> WinModel:
    """Fit a new model on every closed opportunity (raises ``NotEnoughHistory``)."""
    closed = await store.opportunities.find(
        {"status": {"$in": ["won", "lost"]}}, sort=[("closed_at", -1)], limit=MAX_TRAINING_ROWS
    )
    tiers = await store.customers.tiers(sorted({o.customer_id for o in closed}))
    rows = [(o, tiers.get(o.customer_id)) for o in closed]
    # Fitting is CPU work: keep the event loop serving requests meanwhile.
    model = await asyncio.to_thread(
        train, rows, model_id=new_id(), now=utc_now(), min_samples=min_samples
    )
    await store.win_models.add(model)
    return model


async def predictions(
    store: SalesStore, opportunities: list[Opportunity]
) -> list[tuple[Opportunity, Prediction]]:
    model = await store.win_models.latest()
    tiers = await store.customers.tiers(sorted({o.customer_id for o in opportunities}))
    return [(o, predict(model, o, tiers.get(o.customer_id))) for o in opportunities]
