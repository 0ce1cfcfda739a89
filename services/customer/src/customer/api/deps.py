"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.auth import Principal
from crm_chassis.service import RuntimeDep
from customer.components import Components, components
from customer.domain.access import Visibility, visibility_for


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]
IfMatch = Annotated[str | None, Header(description="The ETag you last read")]


def visibility(principal: Principal) -> Visibility:
    return visibility_for(principal.roles, principal.subject, principal.team)
