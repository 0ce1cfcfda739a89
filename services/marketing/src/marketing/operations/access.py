"""Who may change a marketing record, and which customers a caller may see."""

from __future__ import annotations

from typing import Any, Protocol

from crm_chassis.auth import Principal
from crm_chassis.domain_errors import NotAllowed
from crm_contracts.access import Role


class Owned(Protocol):
    @property
    def owner_id(self) -> str | None: ...

    @property
    def team(self) -> str | None: ...


def can_manage(principal: Principal, record: Owned) -> bool:
    """Record-level rule: marketers change their own or their team's records; admins all."""
    if principal.has_role(Role.ADMIN):
        return True
    if record.owner_id == principal.subject:
        return True
    return principal.team is not None and record.team == principal.team


def require_manager(principal: Principal, record: Owned, what: str) -> None:
    if not can_manage(principal, record):
        raise NotAllowed(f"Only the {what}'s owner, their team or an admin may change it.")


def visible_audience(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """A query on the customer copy narrowed to the customers the caller may see, by the
    rule the customer service applies (a sales manager: their team's and their own).
    Counts, samples and recipient lists built from it leave the others out, as the
    customer service's own lists do."""
    scope = principal.customer_scope().query()
    return {"$and": [query, scope]} if scope else query
