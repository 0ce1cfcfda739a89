"""``/api/v1/audit-log``: every write through the gateway, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from crm_chassis.auth import Principal, allowed
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Permission
from gateway.api.deps import GatewayDep
from gateway.domain.audit import AuditEntry

router = APIRouter(prefix="/api/v1/audit-log", tags=["audit"])


@router.get("")
async def list_audit_entries(
    gateway: GatewayDep,
    principal: Annotated[Principal, allowed(Permission.AUDIT_READ)],
    page: PageDep,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    service: Annotated[str | None, Query(max_length=50)] = None,
    method: Annotated[str | None, Query(pattern="^(POST|PUT|PATCH|DELETE)$")] = None,
    outcome: Annotated[str | None, Query(max_length=20)] = None,
    path_prefix: Annotated[str | None, Query(max_length=300)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    sort: Annotated[str | None, Query(max_length=50)] = None,
) -> Page[AuditEntry]:
    query: dict[str, Any] = {}
    for name, value in (
        ("actor", actor),
        ("service", service),
        ("method", method),
        ("outcome", outcome),
    ):
        if value is not None:
            query[name] = value
    if path_prefix:
        query["path"] = {"$gte": path_prefix, "$lt": path_prefix + "\uffff"}
    if since is not None or until is not None:
        query["at"] = {
            **({"$gte": since} if since else {}),
            **({"$lt": until} if until else {}),
        }
    order = parse_sort(sort, ["at", "status", "actor"], "-at")
    items, total = await gateway.audit_log.list(query, order, page.offset, page.limit)
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)
