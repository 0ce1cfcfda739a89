"""Quotes (S-7): priced line items in revisions, negotiation notes, a simple status flow.

Every change of terms is a new revision; earlier revisions stay readable (and
printable), so what a customer was sent is never lost.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from sales.domain.pricing import LineItem, Totals, price


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


_NEXT: dict[QuoteStatus, set[QuoteStatus]] = {
    QuoteStatus.DRAFT: {QuoteStatus.SENT},
    QuoteStatus.SENT: {QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.DRAFT},
    QuoteStatus.ACCEPTED: set(),
    QuoteStatus.REJECTED: set(),
}


class Terms(BaseModel):
    """What a revision offers."""

    model_config = ConfigDict(extra="forbid")

    lines: list[LineItem] = Field(min_length=1, max_length=200)
    discount_percent: Decimal = Decimal("0")
    tax_rate_percent: Decimal = Decimal("0")
    valid_until: date | None = None
    terms_text: str | None = Field(default=None, max_length=4000)


class QuoteRevision(Terms):
    number: int
    totals: Totals
    created_at: datetime
    created_by: str | None = None


class NegotiationNote(BaseModel):
    text: str
    author: str | None
    written_at: datetime


class QuoteTemplate(BaseModel):
    template_id: str
    name: str = Field(min_length=1, max_length=120)
    terms: Terms


class Quote(BaseModel):
    quote_id: str
    quote_number: str
    version: int = 1
    opportunity_id: str | None = None
    customer_id: str
    owner_id: str | None = None
    team: str | None = None
    currency: str = "CNY"
    status: QuoteStatus = QuoteStatus.DRAFT
    revisions: list[QuoteRevision]
    notes: list[NegotiationNote] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime

    @property
    def current(self) -> QuoteRevision:
        return self.revisions[-1]

    def revision(self, number: int | None) -> QuoteRevision:
        if number is None:
            return self.current
        for revision in self.revisions:
            if revision.number == number:
                return revision
        raise RuleViolation(f"No revision {number}.", field="revision")


def _revision(terms: Terms, number: int, actor: str | None, now: datetime) -> QuoteRevision:
    totals = price(terms.lines, terms.discount_percent, terms.tax_rate_percent)
    return QuoteRevision(
        **terms.model_dump(), number=number, totals=totals, created_at=now, created_by=actor
    )


def draft_quote(
    *,
    quote_id: str,
    quote_number: str,
    customer_id: str,
    terms: Terms,
    actor: str | None,
    now: datetime,
    **details: str | None,
) -> Quote:
    return Quote(
        quote_id=quote_id,
        quote_number=quote_number,
        customer_id=customer_id,
        revisions=[_revision(terms, 1, actor, now)],
        created_at=now,
        updated_at=now,
        **details,
    )


def revise(quote: Quote, terms: Terms, actor: str | None, now: datetime) -> Quote:
    """New terms as a new revision; a sent quote goes back to draft until sent again."""
    if quote.status in (QuoteStatus.ACCEPTED, QuoteStatus.REJECTED):
        raise InvalidTransition(f"An {quote.status.value} quote cannot be revised.")
    revision = _revision(terms, quote.current.number + 1, actor, now)
    return quote.model_copy(
        update={
            "revisions": [*quote.revisions, revision],
            "status": QuoteStatus.DRAFT,
            "updated_at": now,
        }
    )


def add_note(quote: Quote, text: str, author: str | None, now: datetime) -> Quote:
    note = NegotiationNote(text=text, author=author, written_at=now)
    return quote.model_copy(update={"notes": [*quote.notes, note], "updated_at": now})


def change_status(quote: Quote, status: QuoteStatus, now: datetime) -> Quote:
    if status == quote.status:
        return quote
    if status not in _NEXT[quote.status]:
        raise InvalidTransition(f"A {quote.status.value} quote cannot become {status.value}.")
    if status is QuoteStatus.ACCEPTED:
        valid_until = quote.current.valid_until
        if valid_until is not None and now.date() > valid_until:
            raise InvalidTransition("The quote has expired; revise it first.")
    return quote.model_copy(update={"status": status, "updated_at": now})
