"""Dependency aliases shared by the routes: the service's parts, If-Match, and the
permission each route needs (one definition each)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.auth import Principal, allowed
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from sales.components import Components, components


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]

ReadLeads = Annotated[Principal, allowed(Permission.LEADS_READ)]
WriteLeads = Annotated[Principal, allowed(Permission.LEADS_WRITE)]
ReadSales = Annotated[Principal, allowed(Permission.SALES_READ)]
WriteSales = Annotated[Principal, allowed(Permission.SALES_WRITE)]
SalesAdmin = Annotated[Principal, allowed(Permission.SALES_ADMIN)]
