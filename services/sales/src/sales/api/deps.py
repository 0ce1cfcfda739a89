"""Dependency aliases shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.service import RuntimeDep
from sales.components import Components, components


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
