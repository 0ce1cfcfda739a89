"""Dependencies and helpers shared by the marketing routes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header

from crm_chassis import clock
from crm_chassis.auth import Principal
from crm_chassis.errors import FieldError, Forbidden, InvalidInput
from crm_chassis.service import RuntimeDep, ServiceRuntime
from crm_contracts.access import Role
from marketing.domain.errors import DomainError
from marketing.operations.sending.compose import MailLinks
from marketing.operations.sending.sender import Sender
from marketing.settings import Settings

SENDER = "sender"
LINKS = "links"

IfMatch = Annotated[str | None, Header(alias="If-Match")]


def utc_now() -> datetime:
    """Now, to the millisecond, as a record stamped with it reads back."""
    return clock.utc_now()


def settings_of(runtime: ServiceRuntime) -> Settings:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    return settings


async def _links(runtime: RuntimeDep) -> MailLinks:
    links: MailLinks = runtime.extras[LINKS]
    return links


LinksDep = Annotated[MailLinks, Depends(_links)]


def wake_sender(runtime: ServiceRuntime) -> None:
    sender: Sender | None = runtime.extras.get(SENDER)
    if sender is not None:
        sender.wake()


@contextmanager
def domain_errors(prefix: str = "body") -> Iterator[None]:
    """Turn a broken marketing rule into a 422 naming the offending field."""
    try:
        yield
    except DomainError as error:
        field = f"{prefix}.{error.field}" if error.field else prefix
        raise InvalidInput(
            error.message, errors=[FieldError(field=field, reason=error.message)]
        ) from None


def visible_audience(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """A query on the customer projection narrowed to the customers the caller may see,
    by the rule the customer service applies (a sales manager: their team's and their
    own). Counts, samples and recipient lists built from it leave the others out, as the
    customer service's own lists do."""
    scope = principal.customer_scope().query()
    return {"$and": [query, scope]} if scope else query


def can_manage(principal: Principal, document: dict[str, Any]) -> bool:
    """Record-level rule: marketers change their own or their team's records; admins all."""
    if principal.has_role(Role.ADMIN):
        return True
    if document.get("owner_id") == principal.subject:
        return True
    return principal.team is not None and document.get("team") == principal.team


def require_manager(principal: Principal, document: dict[str, Any], what: str) -> None:
    if not can_manage(principal, document):
        raise Forbidden(f"Only the {what}'s owner, their team or an admin may change it.")
