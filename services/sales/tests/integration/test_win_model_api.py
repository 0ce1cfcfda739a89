"""Training the win model on stored history and reading predictions through the API."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI

from sales.components import components
from sales.domain.opportunities import Opportunity, OpportunityStatus, StageChange

pytestmark = pytest.mark.integration

STAGES = [("qualified", 20), ("demo", 50), ("proposal", 60), ("negotiation", 80)]


def closed_opportunity(n: int, rng: random.Random, now: datetime) -> Opportunity:
    """The outcome follows the lead score; the stage reached says nothing about it."""
    score = rng.randint(20, 100)
    won = rng.random() < (0.9 if score >= 60 else 0.1)
    stage, probability = rng.choice(STAGES)
    history = [
        StageChange(
            from_stage=None, to_stage="lead_generated", probability=Decimal(10), changed_at=now
        ),
        StageChange(
            from_stage="lead_generated",
            to_stage=stage,
            probability=Decimal(probability),
            changed_at=now,
        ),
        StageChange(
            from_stage=stage,
            to_stage="won" if won else "lost",
            probability=Decimal(100 if won else 0),
            changed_at=now,
        ),
    ]
    return Opportunity(
        opportunity_id=f"hist-{n}",
        name=f"Deal {n}",
        customer_id=f"cust-{n}",
        pipeline_id="default",
        stage="won" if won else "lost",
        probability=Decimal(100 if won else 0),
        status=OpportunityStatus.WON if won else OpportunityStatus.LOST,
        amount=Decimal("10000.00"),
        lead_score=score,
        stage_history=history,
        stage_changed_at=now,
        closed_at=now,
        created_at=now - timedelta(days=30),
        updated_at=now,
    )


async def test_model_trained_on_history_reports_held_out_auc_above_the_stage_baseline(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    before = await client.post("/api/v1/win-model/training", headers=admin)
    assert before.status_code == 409  # no history yet: predictions use stage probabilities

    store = components(app.state.runtime)
    rng = random.Random(3)
    now = datetime.now(UTC)
    await store.opportunities.collection.insert_many(
        [
            {**doc, "_id": doc.pop("opportunity_id")}
            for doc in (
                closed_opportunity(n, rng, now).model_dump(mode="python") for n in range(240)
            )
        ]
    )
    trained = await client.post("/api/v1/win-model/training", headers=admin)
    assert trained.status_code == 200, trained.text
    report = trained.json()
    assert report["model"]["samples"] == 240
    assert report["model"]["holdout_auc"] > 0.8
    assert report["beats_baseline"] is True

    opportunity = await client.post(
        "/api/v1/opportunities",
        json={"name": "Hot deal", "customer_id": "cust-x"},
        headers=admin,
    )
    assert opportunity.status_code == 201, opportunity.text
    opportunity_id = opportunity.json()["opportunity_id"]
    prediction = await client.get(f"/api/v1/win-model/predictions/{opportunity_id}", headers=admin)
    assert prediction.status_code == 200, prediction.text
    assert prediction.json()["source"] == "model"
    assert prediction.json()["band"] in {"high", "medium", "low"}
    listed = await client.get("/api/v1/win-model/predictions", headers=admin)
    assert [p["opportunity_id"] for p in listed.json()] == [opportunity_id]
