"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.auth import Principal, allowed
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from notifications.components import Components, components


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]
# Every person, for their own inbox, stream and preferences.
Me = Annotated[Principal, allowed(Permission.NOTIFICATIONS_OWN)]
# Administrators, for the customer notices' templates and steps.
Admin = Annotated[Principal, allowed(Permission.NOTIFICATIONS_ADMIN)]
IfMatch = Annotated[
    str | None, Header(alias="If-Match", description="the ETag you read; a newer one: 412")
]
