"""Facts: the analytics copy of other services' aggregates, folded from their events.

``FOLDS`` is the one table saying which events change which kind of fact; every
event type not listed is only archived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from analytics.domain.facts.base import Fact, Marker
from analytics.domain.facts.campaign import CampaignFact, fold_campaign
from analytics.domain.facts.customer import CustomerFact, customer_id_of, fold_customer
from analytics.domain.facts.opportunity import OpportunityFact, fold_opportunity
from analytics.domain.facts.ticket import SurveyFact, TicketFact, fold_survey, fold_ticket
from crm_contracts.events import customer, marketing, sales, support
from crm_contracts.events.registry import EventData


class FactKind(StrEnum):
    CUSTOMER = "customer"
    OPPORTUNITY = "opportunity"
    TICKET = "ticket"
    SURVEY = "survey"
    CAMPAIGN = "campaign"


FACT_MODELS: dict[FactKind, type[Fact]] = {
    FactKind.CUSTOMER: CustomerFact,
    FactKind.OPPORTUNITY: OpportunityFact,
    FactKind.TICKET: TicketFact,
    FactKind.SURVEY: SurveyFact,
    FactKind.CAMPAIGN: CampaignFact,
}

Fold = Callable[[Any, str, EventData], Fact]

_FOLD_OF_KIND: dict[FactKind, Fold] = {
    FactKind.CUSTOMER: fold_customer,
    FactKind.OPPORTUNITY: fold_opportunity,
    FactKind.TICKET: fold_ticket,
    FactKind.SURVEY: fold_survey,
    FactKind.CAMPAIGN: fold_campaign,
}

_C, _O, _T, _S, _M = (
    FactKind.CUSTOMER,
    FactKind.OPPORTUNITY,
    FactKind.TICKET,
    FactKind.SURVEY,
    FactKind.CAMPAIGN,
)

FOLDS: dict[type[EventData], tuple[FactKind, ...]] = {
    customer.CustomerCreated: (_C,),
    customer.CustomerUpdated: (_C,),
    customer.CustomerTierChanged: (_C,),
    customer.CustomersMerged: (_C,),
    customer.CustomerErased: (_C,),
    customer.InteractionRecorded: (_C,),
    sales.OpportunityCreated: (_O,),
    sales.OpportunityStageChanged: (_O,),
    sales.OpportunityWon: (_O,),
    sales.OpportunityLost: (_O,),
    sales.OrderPlaced: (_C,),
    sales.PaymentReceived: (_C,),
    marketing.CampaignStatusChanged: (_M,),
    marketing.CampaignMetricsUpdated: (_M,),
    support.TicketOpened: (_T, _C),
    support.TicketStatusChanged: (_T,),
    support.TicketResolved: (_T,),
    support.SlaBreached: (_T, _C),
    support.SurveyAnswered: (_S, _C),
}


@dataclass(frozen=True)
class FactChange:
    """One fact an event touches: fold it with ``fold(current, event_id, data)``."""

    kind: FactKind
    fact_id: str
    fold: Fold


def fact_id_of(kind: FactKind, data: EventData) -> str | None:
    match kind:
        case FactKind.CUSTOMER:
            return customer_id_of(data)
        case FactKind.OPPORTUNITY:
            return str(getattr(data, "opportunity_id"))  # noqa: B009
        case FactKind.TICKET:
            return str(getattr(data, "ticket_id"))  # noqa: B009
        case FactKind.SURVEY:
            return str(getattr(data, "survey_id"))  # noqa: B009
        case FactKind.CAMPAIGN:
            return str(getattr(data, "campaign_id"))  # noqa: B009


def fact_changes(data: EventData) -> list[FactChange]:
    """The facts an event changes (none for events that are only archived)."""
    changes = []
    for kind in FOLDS.get(type(data), ()):
        fact_id = fact_id_of(kind, data)
        if fact_id is not None:
            changes.append(FactChange(kind, fact_id, _FOLD_OF_KIND[kind]))
    return changes


__all__ = [
    "FACT_MODELS",
    "FOLDS",
    "CampaignFact",
    "CustomerFact",
    "Fact",
    "FactChange",
    "FactKind",
    "Marker",
    "OpportunityFact",
    "SurveyFact",
    "TicketFact",
    "fact_changes",
]
