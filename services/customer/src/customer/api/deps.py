"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.auth import Principal
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from customer.components import Components, components
from customer.domain.access import Visibility, visibility_for


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]
IfMatch = Annotated[str | None, Header(description="The ETag you last read")]


def visibility(principal: Principal) -> Visibility:
    return visibility_for(principal.roles, principal.subject, principal.team)


def reveals_pii(principal: Principal, owner_id: str | None) -> bool:
    """Whether the caller sees a customer's personal numbers in full: with
    ``customers:read_pii`` (support, managers, admins), or as the customer's owner, who
    works with the customer every day. Others see them masked."""
    if principal.can(Permission.CUSTOMERS_READ_PII):
        return True
    return owner_id is not None and owner_id == principal.subject
