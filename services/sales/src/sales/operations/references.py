"""Checking what a new order, quote or task, or a new or edited opportunity, names (its
opportunity, its quote) before anything of it is written:
:func:`sales.domain.references.check_references` on the records the store holds, and
for an order :func:`~sales.domain.references.check_not_ordered` on its quote."""

from __future__ import annotations

from crm_contracts.access import RecordScope
from sales.components import Components
from sales.domain import references as rules


async def check_references(
    parts: Components,
    scope: RecordScope,
    *,
    customer_id: str | None,
    opportunity_id: str | None = None,
    quote_id: str | None = None,
    naming_opportunity_id: str | None = None,
    ordering: bool = False,
) -> None:
    """Refuse (422) an opportunity or quote that does not exist, that the caller (whose
    sales records are ``scope``) may not see, that is another customer's, or a quote of
    another opportunity than the one named (or than ``naming_opportunity_id``, the
    opportunity being written, when that is what names the quote). When ``ordering`` (an
    order is being placed), also refuse a quote not accepted (422) and one already
    ordered (409)."""
    opportunity = await parts.opportunities.get(opportunity_id) if opportunity_id else None
    quote = await parts.quotes.get(quote_id) if quote_id else None
    rules.check_references(
        scope,
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        opportunity=opportunity,
        quote_id=quote_id,
        quote=quote,
        naming_opportunity_id=naming_opportunity_id,
        ordering=ordering,
    )
    if ordering and quote_id is not None:
        await check_not_ordered(parts, quote_id)


async def check_not_ordered(parts: Components, quote_id: str) -> None:
    """Refuse (409 naming ``quote_id``, the order's id in the detail) a quote an order was
    already placed from; also the answer when the store's unique index caught a second
    order placed at the same moment."""
    rules.check_not_ordered(quote_id, await parts.orders.id_by_quote(quote_id))
