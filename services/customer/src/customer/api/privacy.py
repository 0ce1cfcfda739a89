"""Privacy routes (C-10): erasure, a person's data export, the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from crm_chassis.auth import Principal
from crm_chassis.concurrency import expected_version
from customer.api.deps import (
    ComponentsDep,
    DeleteCustomers,
    EraseCustomers,
    IfMatch,
    ReadAudit,
    visibility,
)
from customer.operations import privacy
from customer.operations.profiles import visible

router = APIRouter(prefix="/api/v1/customers/{customer_id}", tags=["privacy"])


class AuditChange(BaseModel):
    field: str
    before: Any
    after: Any


class AuditEntry(BaseModel):
    customer_id: str
    version: int
    actor: str
    action: str
    at: datetime
    changes: list[AuditChange]


async def _erase(
    parts: ComponentsDep, customer_id: str, principal: Principal, if_match: str | None
) -> Response:
    await privacy.erase(
        parts,
        customer_id,
        expected_version=expected_version(if_match, required=False),
        visibility=visibility(principal),
        actor=principal.subject,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/erasure", status_code=status.HTTP_204_NO_CONTENT)
async def erase_customer(
    customer_id: str,
    parts: ComponentsDep,
    principal: EraseCustomers,
    if_match: IfMatch = None,
) -> Response:
    """Right to erasure: personal fields removed, history anonymised, other services told."""
    return await _erase(parts, customer_id, principal, if_match)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, tags=["customers"])
async def delete_customer(
    customer_id: str,
    parts: ComponentsDep,
    principal: DeleteCustomers,
    if_match: IfMatch = None,
) -> Response:
    """Deleting a customer erases the person (C-10), as ``POST .../erasure`` does."""
    return await _erase(parts, customer_id, principal, if_match)


@router.get("/personal-data")
async def export_personal_data(
    customer_id: str,
    parts: ComponentsDep,
    principal: EraseCustomers,
) -> dict[str, Any]:
    """Everything held about the person, personal numbers in clear (data-subject access)."""
    return await privacy.personal_data(parts, customer_id, visibility=visibility(principal))


@router.get("/audit", response_model=list[AuditEntry])
async def audit_trail(
    customer_id: str,
    parts: ComponentsDep,
    principal: ReadAudit,
) -> list[AuditEntry]:
    await visible(parts, customer_id, visibility(principal))
    return [AuditEntry(**entry) for entry in await parts.audit.entries(customer_id)]
