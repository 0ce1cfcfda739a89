"""What an order, a quote or a task may name: an opportunity or quote that exists, that
the caller may see and that is the same customer's; an order's quote must be of its
opportunity."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from crm_chassis.domain_errors import DuplicateValue, RuleViolation
from crm_contracts.access import RecordScope
from sales.domain.opportunities import Opportunity
from sales.domain.pricing import LineItem
from sales.domain.quotes import Quote, QuoteStatus, Terms, draft_quote
from sales.domain.references import check_not_ordered, check_references

EVERYONE = RecordScope()
REP_1 = RecordScope(owner_id="rep-1")
MANAGER_NORTH = RecordScope(owner_id="mgr-n", team="north")
REP_2 = RecordScope(owner_id="rep-2")


@pytest.fixture
def opportunity(make_opportunity: Callable[..., Opportunity]) -> Opportunity:
    return make_opportunity(owner_id="rep-1", team="north", customer_id="cust-1")


def quote(now: Any, **overrides: Any) -> Quote:
    fields: dict[str, Any] = {
        "opportunity_id": "opp-1",
        "owner_id": "rep-1",
        "team": "north",
        "customer_id": "cust-1",
    }
    fields.update(overrides)
    terms = Terms(lines=[LineItem(product="Seat", quantity=Decimal(1), unit_price=Decimal(10))])
    return draft_quote(
        quote_id="q-1", quote_number="QT-1", terms=terms, actor="rep-1", now=now, **fields
    )


def refusals(**given: Any) -> list[tuple[str, str]]:
    scope = given.pop("scope", REP_1)
    with pytest.raises(RuleViolation) as refused:
        check_references(scope, **given)
    assert refused.value.status == 422
    return list(refused.value.field_errors)


def test_naming_nothing_or_a_visible_opportunity_and_its_quote_of_the_customer_passes(
    opportunity: Opportunity, now: Any
) -> None:
    check_references(REP_1, customer_id="cust-1")
    check_references(
        REP_1,
        customer_id="cust-1",
        opportunity_id="opp-1",
        opportunity=opportunity,
        quote_id="q-1",
        quote=quote(now),
    )
    check_references(
        MANAGER_NORTH, customer_id="cust-1", opportunity_id="opp-1", opportunity=opportunity
    )
    check_references(EVERYONE, customer_id="cust-1", quote_id="q-1", quote=quote(now))


def test_an_unknown_id_is_refused_naming_its_field() -> None:
    assert refusals(customer_id="cust-1", opportunity_id="opp-x", opportunity=None) == [
        ("body.opportunity_id", "no opportunity with this id you may see")
    ]
    assert refusals(customer_id="cust-1", quote_id="q-x", quote=None) == [
        ("body.quote_id", "no quote with this id you may see")
    ]


def test_a_record_the_caller_may_not_see_is_refused_as_if_it_did_not_exist(
    opportunity: Opportunity, now: Any
) -> None:
    unknown = refusals(scope=REP_2, customer_id="cust-1", opportunity_id="opp-x", opportunity=None)
    hidden = refusals(
        scope=REP_2, customer_id="cust-1", opportunity_id="opp-1", opportunity=opportunity
    )
    assert hidden == unknown
    south = RecordScope(owner_id="mgr-s", team="south")
    assert refusals(scope=south, customer_id="cust-1", quote_id="q-1", quote=quote(now)) == [
        ("body.quote_id", "no quote with this id you may see")
    ]
    # Not even another customer's record says more than "not found" when it is hidden.
    assert (
        refusals(scope=REP_2, customer_id="cust-2", opportunity_id="opp-1", opportunity=opportunity)
        == unknown
    )


def test_another_customers_opportunity_or_quote_is_refused(
    opportunity: Opportunity, now: Any
) -> None:
    assert refusals(
        customer_id="cust-2",
        opportunity_id="opp-1",
        opportunity=opportunity,
        quote_id="q-1",
        quote=quote(now),
    ) == [
        ("body.opportunity_id", "belongs to another customer"),
        ("body.quote_id", "belongs to another customer"),
    ]


def test_an_orders_quote_must_be_of_the_opportunity_it_names(
    make_opportunity: Callable[..., Opportunity], now: Any
) -> None:
    other = make_opportunity(opportunity_id="opp-2", owner_id="rep-1", customer_id="cust-1")
    assert refusals(
        customer_id="cust-1",
        opportunity_id="opp-2",
        opportunity=other,
        quote_id="q-1",
        quote=quote(now),
    ) == [("body.quote_id", "belongs to another opportunity")]
    unlinked = quote(now, opportunity_id=None)
    assert refusals(
        customer_id="cust-1",
        opportunity_id="opp-2",
        opportunity=other,
        quote_id="q-1",
        quote=unlinked,
    ) == [("body.quote_id", "belongs to another opportunity")]
    # Without an opportunity named, any visible quote of the customer will do.
    check_references(REP_1, customer_id="cust-1", quote_id="q-1", quote=quote(now))


def test_a_quote_is_not_blamed_for_an_opportunity_that_was_refused(now: Any) -> None:
    assert refusals(
        customer_id="cust-1",
        opportunity_id="opp-x",
        opportunity=None,
        quote_id="q-1",
        quote=quote(now),
    ) == [("body.opportunity_id", "no opportunity with this id you may see")]


def test_a_record_without_a_customer_may_name_any_opportunity_it_may_see(
    opportunity: Opportunity,
) -> None:
    check_references(REP_1, customer_id=None, opportunity_id="opp-1", opportunity=opportunity)
    assert refusals(
        scope=REP_2, customer_id=None, opportunity_id="opp-1", opportunity=opportunity
    ) == [("body.opportunity_id", "no opportunity with this id you may see")]


def test_an_opportunitys_quote_is_one_of_no_opportunity_or_of_this_one(now: Any) -> None:
    for linked_to in (None, "opp-1"):
        check_references(
            REP_1,
            customer_id="cust-1",
            quote_id="q-1",
            quote=quote(now, opportunity_id=linked_to),
            naming_opportunity_id="opp-1",
        )
    assert refusals(
        customer_id="cust-1",
        quote_id="q-1",
        quote=quote(now, opportunity_id="opp-2"),
        naming_opportunity_id="opp-1",
    ) == [("body.quote_id", "belongs to another opportunity")]


def test_an_opportunitys_quote_unknown_hidden_or_of_another_customer_is_refused(
    now: Any,
) -> None:
    def named(scope: RecordScope, customer_id: str, found: Any) -> list[tuple[str, str]]:
        return refusals(
            scope=scope,
            customer_id=customer_id,
            quote_id="q-1",
            quote=found,
            naming_opportunity_id="opp-1",
        )

    unknown = named(REP_1, "cust-1", None)
    assert unknown == [("body.quote_id", "no quote with this id you may see")]
    assert named(REP_2, "cust-1", quote(now)) == unknown
    assert named(REP_2, "cust-2", quote(now, opportunity_id="opp-9")) == unknown
    assert named(REP_1, "cust-2", quote(now, opportunity_id=None)) == [
        ("body.quote_id", "belongs to another customer")
    ]


def test_an_order_names_only_an_accepted_quote(now: Any) -> None:
    for status in (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.REJECTED):
        given = quote(now).model_copy(update={"status": status})
        assert refusals(customer_id="cust-1", quote_id="q-1", quote=given, ordering=True) == [
            ("body.quote_id", "the quote is not accepted")
        ]
        # Another record (an opportunity) may name a quote in any status.
        check_references(REP_1, customer_id="cust-1", quote_id="q-1", quote=given)
    accepted = quote(now).model_copy(update={"status": QuoteStatus.ACCEPTED})
    check_references(REP_1, customer_id="cust-1", quote_id="q-1", quote=accepted, ordering=True)


def test_a_quote_already_ordered_is_refused_naming_the_order() -> None:
    check_not_ordered("q-1", None)
    with pytest.raises(DuplicateValue) as refused:
        check_not_ordered("q-1", "order-7")
    assert (refused.value.status, refused.value.field) == (409, "quote_id")
    assert "order-7" in refused.value.message
