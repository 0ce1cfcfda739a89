"""/api/v1/quotes: templates, drafts, revisions, negotiation notes, status, PDF."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import BaseModel, Field

from crm_chassis.auth import Principal
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import FieldError, InvalidInput, NotFound
from crm_chassis.inputs import InputModel
from crm_chassis.languages import Language
from crm_chassis.pagination import Page, PageDep
from sales.api.deps import ComponentsDep, IfMatch, ReadSales, SalesAdmin, WriteSales
from sales.api.visibility import ensure_customer_visible, ensure_visible, restricted
from sales.components import Components
from sales.domain.quotes import (
    NegotiationNote,
    Quote,
    QuoteRevision,
    QuoteStatus,
    QuoteTemplate,
    Terms,
)
from sales.operations import quotes as quote_ops
from sales.store.customers import CustomerLabel

router = APIRouter(prefix="/api/v1/quotes", tags=["quotes"])

Text = Annotated[str, Field(max_length=200)]


class QuoteCreate(InputModel):
    customer_id: Annotated[str, Field(min_length=1, max_length=80)]
    opportunity_id: Text | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "CNY"
    template_id: Text | None = None
    terms: Terms | None = None


class TemplateIn(InputModel):
    name: str = Field(min_length=1, max_length=120)
    terms: Terms


class NoteIn(InputModel):
    text: str = Field(min_length=1, max_length=4000)


class StatusIn(InputModel):
    status: QuoteStatus


class QuoteOut(BaseModel):
    quote_id: str
    quote_number: str
    version: int
    opportunity_id: str | None
    customer_id: str
    customer_name: str | None = Field(
        description="The customer's name from sales' copy of customers; null when the "
        "customer was erased or its name is not known to sales yet"
    )
    owner_id: str | None
    team: str | None
    currency: str
    status: QuoteStatus
    current_revision: int
    revisions: list[QuoteRevision]
    notes: list[NegotiationNote]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, quote: Quote, customer: CustomerLabel | None) -> QuoteOut:
        return cls(
            **quote.model_dump(),
            customer_name=customer.name if customer else None,
            current_revision=quote.current.number,
        )


async def _visible(parts: Components, principal: Principal, quote_id: str) -> Quote:
    quote = await parts.quotes.get(quote_id)
    if quote is None:
        raise NotFound("No quote with that id.")
    ensure_visible(principal, quote.owner_id, quote.team, "quote")
    return quote


async def _out(parts: Components, quote: Quote, response: Response | None = None) -> QuoteOut:
    if response is not None:
        response.headers["ETag"] = etag(quote.version)
    return QuoteOut.of(quote, await parts.customers.label(quote.customer_id))


def _version(if_match: str | None, quote: Quote) -> int:
    version = expected_version(if_match)
    return quote.version if version is None else version


@router.get("/templates")
async def list_templates(principal: ReadSales, parts: ComponentsDep) -> list[QuoteTemplate]:
    return await parts.quote_templates.list()


@router.put("/templates/{template_id}")
async def put_template(
    template_id: str, body: TemplateIn, principal: SalesAdmin, parts: ComponentsDep
) -> QuoteTemplate:
    template = QuoteTemplate(template_id=template_id, **body.model_dump())
    await parts.quote_templates.put(template)
    return template


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_quote(
    body: QuoteCreate, principal: WriteSales, parts: ComponentsDep, response: Response
) -> QuoteOut:
    """Draft a quote from explicit terms, or from a template's terms."""
    await ensure_customer_visible(parts, principal, body.customer_id)
    terms = body.terms
    if terms is None and body.template_id is not None:
        template = await parts.quote_templates.get(body.template_id)
        terms = template.terms if template else None
    if terms is None:
        raise InvalidInput(
            "Give terms or an existing template_id.",
            errors=[
                FieldError(field="body.terms", reason="terms or a known template_id is required")
            ],
        )
    rep = await parts.routing.get_rep(principal.subject)
    quote = await quote_ops.draft(
        parts,
        scope=principal.sales_scope(),
        customer_id=body.customer_id,
        opportunity_id=body.opportunity_id,
        terms=terms,
        actor=principal.subject,
        details={
            "currency": body.currency,
            "owner_id": principal.subject,
            "team": rep.team if rep else principal.team,
        },
    )
    return await _out(parts, quote, response)


@router.get("")
async def list_quotes(
    principal: ReadSales,
    parts: ComponentsDep,
    page: PageDep,
    customer_id: str | None = None,
    opportunity_id: str | None = None,
    quote_status: Annotated[QuoteStatus | None, Query(alias="status")] = None,
) -> Page[QuoteOut]:
    filters = {
        "customer_id": customer_id,
        "opportunity_id": opportunity_id,
        "status": quote_status.value if quote_status else None,
    }
    query = restricted(principal, filters)
    found = await parts.quotes.find(
        query, sort=[("created_at", -1)], offset=page.offset, limit=page.limit
    )
    customers = await parts.customers.labels(quote.customer_id for quote in found)
    return Page(
        items=[QuoteOut.of(quote, customers.get(quote.customer_id)) for quote in found],
        total=await parts.quotes.count(query),
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{quote_id}")
async def get_quote(
    quote_id: str, principal: ReadSales, parts: ComponentsDep, response: Response
) -> QuoteOut:
    return await _out(parts, await _visible(parts, principal, quote_id), response)


@router.post("/{quote_id}/revisions", status_code=status.HTTP_201_CREATED)
async def revise_quote(
    quote_id: str,
    body: Terms,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> QuoteOut:
    quote = await _visible(parts, principal, quote_id)
    revised = await quote_ops.revise(
        parts, quote, body, _version(if_match, quote), principal.subject
    )
    return await _out(parts, revised, response)


@router.post("/{quote_id}/notes", status_code=status.HTTP_201_CREATED)
async def add_note(
    quote_id: str, body: NoteIn, principal: WriteSales, parts: ComponentsDep, response: Response
) -> QuoteOut:
    quote = await _visible(parts, principal, quote_id)
    noted = await quote_ops.note(parts, quote, body.text, principal.subject)
    return await _out(parts, noted, response)


@router.put("/{quote_id}/status")
async def change_status(
    quote_id: str,
    body: StatusIn,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> QuoteOut:
    quote = await _visible(parts, principal, quote_id)
    moved = await quote_ops.move(parts, quote, body.status, _version(if_match, quote))
    return await _out(parts, moved, response)


@router.get(
    "/{quote_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The quote as a PDF"}},
)
async def quote_pdf(
    quote_id: str,
    principal: ReadSales,
    parts: ComponentsDep,
    revision: Annotated[int | None, Query(ge=1)] = None,
    lang: Annotated[
        Language | None,
        Query(description="the labels' language; by default the customer's, else the reader's"),
    ] = None,
    accept_language: Annotated[str | None, Header(max_length=500)] = None,
) -> Response:
    quote = await _visible(parts, principal, quote_id)
    content = await quote_ops.pdf(parts, quote, revision, lang, accept_language)
    filename = f"{quote.quote_number}-r{quote.revision(revision).number}.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
