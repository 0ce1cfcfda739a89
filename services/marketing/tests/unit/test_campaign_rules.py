"""Campaign lifecycle (M-1) and metric formulas (M-7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.domain_errors import DomainError, InvalidTransition
from marketing.domain.campaigns import (
    CampaignFacts,
    CampaignStatus,
    change_status,
    check_dates,
    check_editable,
)
from marketing.domain.metrics import CampaignCounts, compute_metrics

NOW = datetime(2026, 3, 1, tzinfo=UTC)
S = CampaignStatus


def _campaign(status: CampaignStatus) -> CampaignFacts:
    return CampaignFacts("c1", "Spring", status, Decimal("1000"), Decimal("200"))


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.PLANNED, S.PREPARING),
        (S.PREPARING, S.RUNNING),
        (S.RUNNING, S.COMPLETED),
        (S.PREPARING, S.PLANNED),
        (S.PLANNED, S.CANCELLED),
        (S.RUNNING, S.CANCELLED),
    ],
)
def test_valid_transition_returns_a_status_changed_event(
    current: CampaignStatus, target: CampaignStatus
) -> None:
    [event] = change_status(_campaign(current), target, NOW)
    assert event.TYPE == "crm.marketing.campaign.status_changed.v1"
    assert event.model_dump(mode="json")["from_status"] == current.value
    assert event.model_dump(mode="json")["status"] == target.value
    assert event.model_dump(mode="json")["budget"] == "1000"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.PLANNED, S.RUNNING),
        (S.PLANNED, S.COMPLETED),
        (S.COMPLETED, S.RUNNING),
        (S.CANCELLED, S.PLANNED),
        (S.RUNNING, S.PREPARING),
    ],
)
def test_invalid_transition_is_refused(current: CampaignStatus, target: CampaignStatus) -> None:
    with pytest.raises(InvalidTransition):
        change_status(_campaign(current), target, NOW)


def test_running_campaign_plan_can_no_longer_be_edited() -> None:
    check_editable(S.PREPARING)
    with pytest.raises(InvalidTransition):
        check_editable(S.RUNNING)


def test_campaign_must_end_after_it_starts() -> None:
    with pytest.raises(DomainError):
        check_dates(NOW, NOW - timedelta(days=1))


def test_metrics_follow_the_m7_formulas() -> None:
    counts = CampaignCounts(
        audience=1000,
        sent=900,
        delivered=900,
        opened=300,
        clicked=90,
        participants=300,
        converted=30,
        revenue=Decimal("6000"),
    )
    metrics = compute_metrics(counts, Decimal("2000"))
    assert metrics.participation_rate == Decimal("0.3000")
    assert metrics.conversion_rate == Decimal("0.1000")
    assert metrics.roi == Decimal("2.0000")
    assert metrics.cpa == Decimal("66.67")
    assert metrics.open_rate == Decimal("0.3333")
    assert metrics.click_rate == Decimal("0.1000")


def test_ratios_without_a_denominator_are_undefined_not_zero() -> None:
    metrics = compute_metrics(CampaignCounts(), Decimal("0"))
    assert metrics.roi is None
    assert metrics.cpa is None
    assert metrics.participation_rate is None
