"""Unit-test factories: domain objects with sensible defaults, overridable per test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from crm_contracts.events.sales import ProspectDetails
from sales.domain.leads import Lead
from sales.domain.opportunities import Opportunity, open_opportunity
from sales.domain.pipelines import default_pipeline

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def make_lead() -> Callable[..., Lead]:
    def make(**overrides: Any) -> Lead:
        prospect = {"name": "Li Lei", "company": "Acme", "region": "Beijing"}
        prospect.update(overrides.pop("prospect", {}))
        fields: dict[str, Any] = {
            "lead_id": "lead-1",
            "source_channel": "api",
            "prospect": ProspectDetails(**prospect),
            "created_at": NOW,
            "updated_at": NOW,
        }
        fields.update(overrides)
        return Lead(**fields)

    return make


@pytest.fixture
def make_opportunity() -> Callable[..., Opportunity]:
    """An opportunity opened in the default pipeline's first stage."""

    def make(**overrides: Any) -> Opportunity:
        fields: dict[str, Any] = {
            "opportunity_id": "opp-1",
            "name": "Rollout",
            "customer_id": "cust-1",
            "pipeline_id": "default",
            "stage": "lead_generated",
            "probability": Decimal(10),
            "amount": Decimal("1000.00"),
            "owner_id": "rep-1",
            "stage_changed_at": NOW,
            "created_at": NOW,
            "updated_at": NOW,
        }
        fields.update(overrides)
        opened, _ = open_opportunity(Opportunity(**fields), default_pipeline(), "rep-1")
        return opened

    return make
