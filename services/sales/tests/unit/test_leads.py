from __future__ import annotations

from collections.abc import Callable

import pytest

from crm_chassis.domain_errors import InvalidTransition
from crm_contracts.events.sales import LeadCaptured, LeadConverted
from sales.domain.lead_filters import FilteredField, FilterOperator, LeadFilter
from sales.domain.leads import (
    Conversion,
    Lead,
    LeadStatus,
    capture_lead,
    change_status,
    complete_conversion,
    start_conversion,
)
from sales.domain.scoring import ScoringConfig

MakeLead = Callable[..., Lead]
IDS = Conversion(customer_id="c-1", contact_id="p-1", opportunity_id="o-1")


def test_captured_lead_is_scored_and_announced(make_lead: MakeLead) -> None:
    lead, events = capture_lead(make_lead(interest_level=5), ScoringConfig(), [])
    assert lead.score == 20 * 1 // 5 + 15 * 1 // 5 + 25 * 1 // 5 + 40
    assert isinstance(events[0], LeadCaptured)
    assert events[0].score == lead.score


def test_lead_outside_the_accepted_regions_is_kept_but_disqualified(make_lead: MakeLead) -> None:
    filters = [
        LeadFilter(
            field=FilteredField.REGION,
            operator=FilterOperator.IN,
            values=["Beijing", "Shanghai"],
            reason="outside our territories",
        )
    ]
    kept, _ = capture_lead(make_lead(), ScoringConfig(), filters)
    assert kept.status is LeadStatus.NEW
    dropped, _ = capture_lead(make_lead(prospect={"region": "Lhasa"}), ScoringConfig(), filters)
    assert dropped.status is LeadStatus.DISQUALIFIED
    assert dropped.disqualified_reason == "outside our territories"


def test_blocked_industry_filter_disqualifies(make_lead: MakeLead) -> None:
    filters = [
        LeadFilter(field=FilteredField.INDUSTRY, operator=FilterOperator.NOT_IN, values=["tobacco"])
    ]
    lead, _ = capture_lead(make_lead(prospect={"industry": "Tobacco"}), ScoringConfig(), filters)
    assert lead.status is LeadStatus.DISQUALIFIED


def test_only_a_qualified_lead_converts_and_a_retry_reuses_the_ids(make_lead: MakeLead) -> None:
    with pytest.raises(InvalidTransition):
        start_conversion(make_lead(), IDS)
    qualified = change_status(make_lead(), LeadStatus.QUALIFIED, None)
    conversion = start_conversion(qualified, IDS)
    started = qualified.model_copy(update={"conversion": conversion})
    converted, events = complete_conversion(started, qualified.created_at)
    assert converted.status is LeadStatus.CONVERTED
    assert isinstance(events[0], LeadConverted)
    assert events[0].customer_id == "c-1"
    other = Conversion(customer_id="x", contact_id="y", opportunity_id="z")
    assert start_conversion(converted, other) == converted.conversion
    assert complete_conversion(converted, qualified.created_at)[1] == []


def test_the_conversion_carries_the_leads_owner_and_team(make_lead: MakeLead) -> None:
    """The customer service gives the new customer the lead's team, so the owner's
    manager sees the customer as they saw the lead."""
    lead = change_status(make_lead(owner_id="rep-1", team="north"), LeadStatus.QUALIFIED, None)
    started = lead.model_copy(update={"conversion": start_conversion(lead, IDS)})
    _, [event] = complete_conversion(started, lead.created_at)
    assert isinstance(event, LeadConverted)
    assert (event.owner_id, event.team) == ("rep-1", "north")


def test_lead_linked_to_a_known_customer_converts_into_that_customer(make_lead: MakeLead) -> None:
    lead = change_status(make_lead(customer_id="known"), LeadStatus.QUALIFIED, None)
    assert start_conversion(lead, IDS).customer_id == "known"


def test_converted_status_cannot_be_set_directly(make_lead: MakeLead) -> None:
    with pytest.raises(InvalidTransition):
        change_status(make_lead(), LeadStatus.CONVERTED, None)
