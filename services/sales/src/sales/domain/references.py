"""References from one sales record to another: an order's or a task's opportunity, a
quote's opportunity, an order's or an opportunity's quote.

Such a reference puts the new record into the named one's figures (revenue per
opportunity) and onto its owner's pages, so it may name only a record that exists, that
the caller may see and that is about the same customer; an order's quote must also be
one of the order's opportunity, and an opportunity's quote, when it was drawn up for an
opportunity, one of this opportunity. A record the caller may not see is refused in the
same words as one that does not exist, so the answer does not tell which ids exist.

An order is placed from a quote the customer accepted, and from a quote once: a second
order of the same quote would count its revenue twice.
"""

from __future__ import annotations

from typing import Protocol

from crm_chassis.domain_errors import DuplicateValue, RuleViolation
from crm_contracts.access import RecordScope
from sales.domain.quotes import QuoteStatus

NOT_FOUND = "no {kind} with this id you may see"
OTHER_CUSTOMER = "belongs to another customer"
OTHER_OPPORTUNITY = "belongs to another opportunity"
NOT_ACCEPTED = "the quote is not accepted"


class Referenced(Protocol):
    """What the rule reads of a named record (an opportunity, a quote)."""

    @property
    def customer_id(self) -> str: ...

    @property
    def owner_id(self) -> str | None: ...

    @property
    def team(self) -> str | None: ...


class ReferencedQuote(Referenced, Protocol):
    @property
    def opportunity_id(self) -> str | None: ...

    @property
    def status(self) -> QuoteStatus: ...


def _refusal(
    scope: RecordScope, kind: str, found: Referenced | None, customer_id: str | None
) -> str | None:
    if found is None or not scope.allows(found.owner_id, found.team):
        return NOT_FOUND.format(kind=kind)
    if customer_id is not None and found.customer_id != customer_id:
        return OTHER_CUSTOMER
    return None


def check_references(
    scope: RecordScope,
    *,
    customer_id: str | None,
    opportunity_id: str | None = None,
    opportunity: Referenced | None = None,
    quote_id: str | None = None,
    quote: ReferencedQuote | None = None,
    naming_opportunity_id: str | None = None,
    ordering: bool = False,
) -> None:
    """Refuse (422, every refused field named) references the record being written may
    not make.

    ``opportunity_id`` and ``quote_id`` are the ids as given (``None``: none named),
    ``opportunity`` and ``quote`` what the store holds under them (``None``: nothing).
    ``customer_id`` is the writing record's customer; a task without one may name any
    opportunity the caller may see. When an opportunity and a quote are both named, the
    quote must be that opportunity's. ``naming_opportunity_id`` is the id of the
    opportunity being written when it is what names ``quote_id``: its quote may be one
    drawn up for no opportunity or for this one, not another's. ``ordering``: the record
    being written is an order, whose quote must also be accepted.
    """
    refused: list[tuple[str, str]] = []
    opportunity_refused = None
    if opportunity_id is not None:
        opportunity_refused = _refusal(scope, "opportunity", opportunity, customer_id)
        if opportunity_refused:
            refused.append(("body.opportunity_id", opportunity_refused))
    if quote_id is not None:
        quote_refused = _refusal(scope, "quote", quote, customer_id)
        if quote_refused is None and quote is not None:
            if opportunity_id is not None:  # an order's: of the opportunity it names
                of_another = opportunity_refused is None and quote.opportunity_id != opportunity_id
            elif naming_opportunity_id is not None:  # an opportunity's: of none or of it
                of_another = quote.opportunity_id not in (None, naming_opportunity_id)
            else:
                of_another = False
            if of_another:
                quote_refused = OTHER_OPPORTUNITY
            elif ordering and quote.status is not QuoteStatus.ACCEPTED:
                quote_refused = NOT_ACCEPTED
        if quote_refused:
            refused.append(("body.quote_id", quote_refused))
    if refused:
        reasons = "; ".join(f"{field.removeprefix('body.')}: {why}" for field, why in refused)
        raise RuleViolation(f"Refused reference ({reasons}).", field_errors=refused)


def check_not_ordered(quote_id: str, ordered_as: str | None) -> None:
    """Refuse (409, ``quote_id`` named) a second order of a quote: ``ordered_as`` is the
    id of the order already placed from it (``None``: none)."""
    if ordered_as is not None:
        raise DuplicateValue(
            "quote_id", f"Quote {quote_id} is already ordered, as order {ordered_as}."
        )
