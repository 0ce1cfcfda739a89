"""``/api/v1/customer-duplicates`` and ``/api/v1/customer-merges`` (C-9)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crm_chassis.clock import utc_now
from customer.api.deps import AdministerCustomers, ComponentsDep, visibility
from customer.api.schemas import CustomerOut
from customer.operations import duplicates

router = APIRouter(tags=["duplicates"])


class DuplicateGroupOut(BaseModel):
    reason: str
    customers: list[CustomerOut]


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surviving_id: str = Field(min_length=1, max_length=100)
    merged_id: str = Field(min_length=1, max_length=100)


@router.get("/api/v1/customer-duplicates", response_model=list[DuplicateGroupOut])
async def find_duplicates(
    parts: ComponentsDep,
    principal: AdministerCustomers,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DuplicateGroupOut]:
    now = utc_now()
    return [
        DuplicateGroupOut(
            reason=reason,
            customers=[CustomerOut.of(c, reveal_pii=True, now=now) for c in members],
        )
        for reason, members in await duplicates.duplicate_groups(parts, limit)
    ]


@router.post("/api/v1/customer-merges", response_model=CustomerOut)
async def merge_customers(
    body: MergeRequest,
    parts: ComponentsDep,
    principal: AdministerCustomers,
) -> CustomerOut:
    """Merge ``merged_id`` into ``surviving_id``; other services re-point their
    references on ``crm.customer.customer.merged.v1``."""
    folded = await duplicates.merge(
        parts,
        body.surviving_id,
        body.merged_id,
        visibility=visibility(principal),
        actor=principal.subject,
    )
    return CustomerOut.of(folded, reveal_pii=True, now=utc_now())
