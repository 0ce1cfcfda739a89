"""Checking what a new order, quote or task, or a new or edited opportunity, names (its
opportunity, its quote) before anything of it is written:
:func:`sales.domain.references.check_references` on the records the store holds."""

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
) -> None:
    """Refuse (422) an opportunity or quote that does not exist, that the caller (whose
    sales records are ``scope``) may not see, that is another customer's, or a quote of
    another opportunity than the one named (or than ``naming_opportunity_id``, the
    opportunity being written, when that is what names the quote)."""
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
    )
