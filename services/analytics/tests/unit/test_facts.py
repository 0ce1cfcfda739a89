"""Facts are idempotent and order-tolerant: any order, any duplicates, same fact."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta
from decimal import Decimal

from analytics.domain.facts import CustomerFact, FactKind, OpportunityFact, TicketFact
from crm_contracts.events.customer import CustomerErased, CustomerUpdated

from ..factories import (
    T0,
    campaign_metrics,
    campaign_status,
    customer_created,
    envelope,
    opportunity_created,
    opportunity_won,
    payment_received,
    stage_changed,
    ticket_opened,
    ticket_resolved,
)
from .conftest import fold_all

DAY = timedelta(days=1)


def opportunity_history() -> list:
    return [
        envelope(opportunity_created("o1", amount="1000.00")),
        envelope(stage_changed("o1", "qualified", "demo", at=T0 + DAY, probability="0.4")),
        envelope(
            stage_changed(
                "o1", "demo", "proposal", at=T0 + 3 * DAY, probability="0.6", amount="1500.00"
            )
        ),
        envelope(opportunity_won("o1", at=T0 + 7 * DAY, amount="1400.00")),
    ]


def test_opportunity_events_in_every_order_fold_to_the_same_fact() -> None:
    events = opportunity_history()
    expected = fold_all(events)
    for order in itertools.permutations(events):
        assert fold_all(list(order)) == expected


def test_redelivered_events_change_nothing() -> None:
    events = opportunity_history()
    assert fold_all(events + events[::-1]) == fold_all(events)


def test_an_older_stage_change_arriving_late_does_not_overwrite_newer_state() -> None:
    events = opportunity_history()
    fact = fold_all([events[0], events[2], events[3], events[1]])[(FactKind.OPPORTUNITY, "o1")]
    assert isinstance(fact, OpportunityFact)
    assert fact.status == "won"
    assert fact.amount == Decimal("1400.00")
    assert fact.probability == Decimal("0.6")
    assert fact.stage == "proposal"
    assert [entry.stage for entry in fact.entries] == ["qualified", "demo", "proposal"]


def test_time_in_stage_runs_from_entering_to_leaving_the_stage() -> None:
    fact = fold_all(opportunity_history())[(FactKind.OPPORTUNITY, "o1")]
    assert isinstance(fact, OpportunityFact)
    assert fact.stage_durations() == [
        ("qualified", DAY.total_seconds()),
        ("demo", 2 * DAY.total_seconds()),
        ("proposal", 4 * DAY.total_seconds()),
    ]
    assert fact.days_to_close() == 7


def test_a_payment_delivered_twice_is_counted_once() -> None:
    payment = envelope(payment_received("c1", "250.00", at=T0))
    other = envelope(payment_received("c1", "100.00", at=T0 + DAY))
    facts = fold_all([payment, other, payment])
    fact = facts[(FactKind.CUSTOMER, "c1")]
    assert isinstance(fact, CustomerFact)
    assert fact.monetary == Decimal("350.00")
    assert not fact.active  # seen paying, but its creation has not arrived yet


def test_the_customer_fact_keeps_the_owner_and_team_of_the_latest_profile() -> None:
    created = envelope(customer_created("c1", owner_id="rep-1", team="north"))
    moved = envelope(
        CustomerUpdated(
            customer_id="c1", version=2, name="C1", owner_id="rep-2", team="south",
            updated_at=T0 + DAY,
        )
    )  # fmt: skip
    for order in ([created, moved], [moved, created]):
        fact = fold_all(order)[(FactKind.CUSTOMER, "c1")]
        assert isinstance(fact, CustomerFact)
        assert (fact.owner_id, fact.team) == ("rep-2", "south")


def test_erasure_wins_even_when_the_creation_arrives_after_it() -> None:
    created = envelope(customer_created("c1"))
    erased = envelope(CustomerErased(customer_id="c1", erased_at=T0 + DAY))
    for order in ([created, erased], [erased, created]):
        fact = fold_all(order)[(FactKind.CUSTOMER, "c1")]
        assert isinstance(fact, CustomerFact)
        assert fact.name is None
        assert not fact.active


def test_a_late_older_campaign_snapshot_is_ignored() -> None:
    newer = envelope(campaign_metrics("m1", as_of=T0 + DAY, converted=30))
    older = envelope(campaign_metrics("m1", as_of=T0, converted=20))
    status = envelope(campaign_status("m1", "running", at=T0 - DAY, cost="3000.00"))
    events = [newer, older, status]
    results = {repr(fold_all(list(order))) for order in itertools.permutations(events)}
    assert len(results) == 1
    fact = fold_all(events)[(FactKind.CAMPAIGN, "m1")]
    assert fact.converted == 30  # type: ignore[attr-defined]
    assert fact.cost == Decimal("4000.00")  # type: ignore[attr-defined]


def test_ticket_resolved_again_after_reopening_keeps_the_latest_resolution() -> None:
    opened = envelope(ticket_opened("t1"))
    first = envelope(ticket_resolved("t1", at=T0 + DAY, sla_met=True))
    second = envelope(ticket_resolved("t1", at=T0 + 3 * DAY, sla_met=False, first_contact=False))
    for order in itertools.permutations([opened, first, second]):
        fact = fold_all(list(order))[(FactKind.TICKET, "t1")]
        assert isinstance(fact, TicketFact)
        assert fact.sla_met is False
        assert fact.resolved_at == T0 + 3 * DAY


def test_a_shuffled_mixed_history_folds_to_the_same_facts() -> None:
    events = [
        *opportunity_history(),
        envelope(customer_created("c1")),
        envelope(payment_received("c1", "99.90", at=T0 + DAY)),
        envelope(ticket_opened("t1", customer_id="c1", type="complaint")),
        envelope(ticket_resolved("t1", at=T0 + 2 * DAY)),
        envelope(campaign_metrics("m1")),
    ]
    expected = fold_all(events)
    shuffler = random.Random(7)
    for _ in range(50):
        order = events[:]
        shuffler.shuffle(order)
        assert fold_all(order) == expected


def test_stage_probabilities_published_as_percentages_are_read_as_fractions() -> None:
    created = envelope(opportunity_created("o1", probability="20"))
    moved = envelope(stage_changed("o1", "qualified", "demo", at=T0 + DAY, probability="50"))
    fact = fold_all([created, moved])[(FactKind.OPPORTUNITY, "o1")]
    assert isinstance(fact, OpportunityFact)
    assert fact.probability == Decimal("0.5")
    assert [entry.probability for entry in fact.entries] == [Decimal("0.2"), Decimal("0.5")]
