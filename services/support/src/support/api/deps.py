"""Dependency aliases shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.concurrency import expected_version
from crm_chassis.service import RuntimeDep
from support.components import Components, components


async def get_support(runtime: RuntimeDep) -> Components:
    return components(runtime)


SupportDep = Annotated[Components, Depends(get_support)]


async def required_version(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The version from a mandatory ``If-Match`` (``*`` means any)."""
    return expected_version(if_match, required=True)


async def optional_version(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The version from an optional ``If-Match``: without it the change applies to the
    current state (commands like a reply do not need the client to have read first)."""
    return expected_version(if_match, required=False)


IfMatchRequired = Annotated[int | None, Depends(required_version)]
IfMatchOptional = Annotated[int | None, Depends(optional_version)]
