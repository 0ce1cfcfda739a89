"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.auth import Principal, allowed
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from customer.components import Components, components
from customer.domain.access import Visibility, visibility_for


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]
IfMatch = Annotated[str | None, Header(description="The ETag you last read")]

# The caller, once allowed the permission a route needs: one definition each.
ReadCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_READ)]
WriteCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_WRITE)]
AdministerCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_ADMIN)]
ImportCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_IMPORT)]
ExportCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_EXPORT)]
EraseCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_ERASE)]
DeleteCustomers = Annotated[Principal, allowed(Permission.CUSTOMERS_DELETE)]
ReadReports = Annotated[Principal, allowed(Permission.REPORTS_READ)]
ReadAudit = Annotated[Principal, allowed(Permission.AUDIT_READ)]


def visibility(principal: Principal) -> Visibility:
    return visibility_for(principal.roles, principal.subject, principal.team)


def reveals_pii(principal: Principal, owner_id: str | None) -> bool:
    """Whether the caller sees a customer's personal numbers in full: with
    ``customers:read_pii`` (support, managers, admins), or as the customer's owner, who
    works with the customer every day. Others see them masked."""
    if principal.can(Permission.CUSTOMERS_READ_PII):
        return True
    return owner_id is not None and owner_id == principal.subject
