"""Quote use cases: draft (from a template or lines), revise, note, status, render."""

from __future__ import annotations

import asyncio

from crm_chassis.clock import utc_now
from crm_chassis.languages import Language, choose_language
from crm_contracts.access import RecordScope
from sales.components import Components
from sales.domain import quotes as rules
from sales.domain.quotes import Quote, QuoteStatus, Terms
from sales.operations.ids import new_id
from sales.operations.quote_pdf import render_quote
from sales.operations.references import check_references


async def draft(
    parts: Components,
    *,
    scope: RecordScope,
    customer_id: str,
    opportunity_id: str | None,
    terms: Terms,
    actor: str | None,
    details: dict[str, str | None],
) -> Quote:
    """Draft a quote numbered from the year's counter; its opportunity must be one the
    caller (whose sales records are ``scope``) may name, checked before a number is taken."""
    await check_references(parts, scope, customer_id=customer_id, opportunity_id=opportunity_id)
    now = utc_now()
    sequence = await parts.counters.next_value(f"quote_number:{now.year}")
    quote = rules.draft_quote(
        quote_id=new_id(),
        quote_number=f"QT-{now.year}-{sequence:06d}",
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        terms=terms,
        actor=actor,
        now=now,
        **details,
    )
    await parts.quotes.insert(quote)
    return quote


async def revise(
    parts: Components, quote: Quote, terms: Terms, version: int, actor: str | None
) -> Quote:
    return await parts.quotes.save(rules.revise(quote, terms, actor, utc_now()), version)


async def note(parts: Components, quote: Quote, text: str, author: str | None) -> Quote:
    return await parts.quotes.save(rules.add_note(quote, text, author, utc_now()), quote.version)


async def move(parts: Components, quote: Quote, status: QuoteStatus, version: int) -> Quote:
    return await parts.quotes.save(rules.change_status(quote, status, utc_now()), version)


async def pdf(
    parts: Components,
    quote: Quote,
    revision: int | None,
    language: Language | None = None,
    accept_language: str | None = None,
) -> bytes:
    """The revision as a PDF in ``language`` when asked for, else the customer's (sales'
    copy of the customer keeps it), else the reader's (``Accept-Language``), else zh-CN."""
    chosen = quote.revision(revision)
    customer = await parts.customers.get(quote.customer_id)
    written_in = language or choose_language(
        customer.language if customer else None, accept_language
    )
    name = customer.name if customer else None
    # Layout is CPU work; render off the event loop.
    return await asyncio.to_thread(render_quote, quote, chosen, name, written_in)
