"""Dependency aliases shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import expected_version
from crm_chassis.service import RuntimeDep
from crm_contracts.access import Permission
from support.components import Components, components


async def get_support(runtime: RuntimeDep) -> Components:
    return components(runtime)


SupportDep = Annotated[Components, Depends(get_support)]

# The caller, once allowed: one definition per permission the routes ask for.
ReadTickets = Annotated[Principal, allowed(Permission.TICKETS_READ)]
WriteTickets = Annotated[Principal, allowed(Permission.TICKETS_WRITE)]
ReadKnowledge = Annotated[Principal, allowed(Permission.KNOWLEDGE_READ)]
WriteKnowledge = Annotated[Principal, allowed(Permission.KNOWLEDGE_WRITE)]
ReadReports = Annotated[Principal, allowed(Permission.REPORTS_READ)]


async def required_version(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The version from a mandatory ``If-Match`` (``*`` means any)."""
    return expected_version(if_match, required=True)


async def optional_version(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The version from an optional ``If-Match``: without it the change applies to the
    current state (commands like a reply do not need the client to have read first)."""
    return expected_version(if_match, required=False)


IfMatchRequired = Annotated[int | None, Depends(required_version)]
IfMatchOptional = Annotated[int | None, Depends(optional_version)]
