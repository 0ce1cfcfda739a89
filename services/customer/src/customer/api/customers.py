"""``/api/v1/customers``: member profiles (C-1) with filtering, sorting and pagination."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import FieldError, InvalidInput
from crm_chassis.pagination import Page, PageDep, parse_sort
from customer.api.deps import (
    ComponentsDep,
    IfMatch,
    ReadCustomers,
    WriteCustomers,
    reveals_pii,
    visibility,
)
from customer.api.schemas import CustomerCreate, CustomerOut, CustomerPatch
from customer.domain.consumption import TIER_RULE, Tier
from customer.domain.customer import Customer
from customer.domain.fields import normalize_phone
from customer.domain.value import SEGMENT_RULES, ValueSegment
from customer.operations import profiles
from customer.store.customers import CustomerFilter

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])

SORTABLE = {
    "name": "name",
    "member_id": "member_id",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "tier": "tier",
    "total_consumption": "consumption.total",
}


def _out(customer_out: CustomerOut, response: Response) -> CustomerOut:
    response.headers["ETag"] = etag(customer_out.version)
    return customer_out


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CustomerOut)
async def create_customer(
    body: CustomerCreate,
    parts: ComponentsDep,
    principal: WriteCustomers,
    response: Response,
) -> CustomerOut:
    profile = body
    if profile.owner_id is None and principal.kind == "user":
        profile = profile.model_copy(update={"owner_id": principal.subject})
    if profile.team is None and principal.team is not None:
        profile = profile.model_copy(update={"team": principal.team})
    customer = await profiles.create(parts, profile, actor=principal.subject)
    response.headers["Location"] = f"/api/v1/customers/{customer.id}"
    reveal = reveals_pii(principal, customer.owner_id)
    return _out(CustomerOut.of(customer, reveal_pii=reveal, now=utc_now()), response)


ShortQuery = Annotated[str | None, Query(max_length=100)]


@dataclass(frozen=True)
class ListFilters:
    """The list filters, shared by the list and the export."""

    tier: Annotated[Tier | None, Query(description=TIER_RULE)] = None
    tag: ShortQuery = None
    owner_id: ShortQuery = None
    team: ShortQuery = None
    region: ShortQuery = None
    industry: ShortQuery = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: Annotated[
        str | None, Query(max_length=100, description="Text in name, company, email or member id")
    ] = None
    segment: Annotated[
        ValueSegment | None, Query(description="Value (RFM) segment, as judged now")
    ] = None

    def for_caller(self, principal: Principal, now: datetime) -> CustomerFilter:
        return CustomerFilter(
            visibility=visibility(principal),
            tier=None if self.tier is None else self.tier.value,
            tag=self.tag,
            owner_id=self.owner_id,
            team=self.team,
            region=self.region,
            industry=self.industry,
            created_from=self.created_from,
            created_to=self.created_to,
            text=self.q,
            segment=None if self.segment is None else SEGMENT_RULES[self.segment],
            now=now,
        )


ListFiltersDep = Annotated[ListFilters, Depends()]


@router.get("", response_model=Page[CustomerOut])
async def list_customers(
    parts: ComponentsDep,
    principal: ReadCustomers,
    page: PageDep,
    filters: ListFiltersDep,
    phone: Annotated[str | None, Query(max_length=30, description="Exact phone number")] = None,
    sort: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[CustomerOut]:
    now = utc_now()

    def out(customer: Customer) -> CustomerOut:
        return CustomerOut.of(
            customer, reveal_pii=reveals_pii(principal, customer.owner_id), now=now
        )

    where = filters.for_caller(principal, now)
    if phone is not None:
        try:
            number = normalize_phone(phone)
        except ValueError as error:
            raise InvalidInput(
                "The phone filter is not a phone number.",
                errors=[FieldError(field="query.phone", reason=str(error))],
            ) from None
        found = await parts.customers.find_by_phone(number, where.visibility)
        items = [] if found is None else [out(found)]
        return Page(items=items, total=len(items), offset=0, limit=page.limit)
    order = parse_sort(sort, list(SORTABLE), "-created_at")
    spec = [(SORTABLE.get(field, field), direction) for field, direction in order]
    matches = await parts.customers.find_page(where, spec, page.offset, page.limit)
    return Page(
        items=[out(customer) for customer in matches.items],
        total=matches.total,
        offset=matches.offset,
        limit=matches.limit,
    )


@router.get("/{customer_id}", response_model=CustomerOut)
async def get_customer(
    customer_id: str,
    parts: ComponentsDep,
    principal: ReadCustomers,
    response: Response,
) -> CustomerOut:
    customer = await profiles.visible(parts, customer_id, visibility(principal))
    reveal = reveals_pii(principal, customer.owner_id)
    return _out(CustomerOut.of(customer, reveal_pii=reveal, now=utc_now()), response)


@router.patch("/{customer_id}", response_model=CustomerOut)
async def patch_customer(
    customer_id: str,
    body: CustomerPatch,
    parts: ComponentsDep,
    principal: WriteCustomers,
    response: Response,
    if_match: IfMatch = None,
) -> CustomerOut:
    customer = await profiles.change(
        parts,
        customer_id,
        body,
        expected_version=expected_version(if_match),
        visibility=visibility(principal),
        actor=principal.subject,
    )
    reveal = reveals_pii(principal, customer.owner_id)
    return _out(CustomerOut.of(customer, reveal_pii=reveal, now=utc_now()), response)
