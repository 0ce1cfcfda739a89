"""Record-level access: reps see their own records, managers their team's, others all;
and a new record may name only a customer the caller may see."""

from __future__ import annotations

from typing import Any

from crm_chassis.auth import Principal
from crm_chassis.errors import FieldError, InvalidInput, NotFound
from sales.components import Components


def scope_filter(principal: Principal, owner_field: str = "owner_id") -> dict[str, Any]:
    """The MongoDB filter limiting a list to the records the caller may see."""
    return principal.sales_scope().query(owner_field)


def restricted(
    principal: Principal, filters: dict[str, Any], owner_field: str = "owner_id"
) -> dict[str, Any]:
    """The caller's list filters, kept within the records they may see.

    The two are joined with ``$and``, so a filter on the scoped field itself
    (``owner_id=<another rep>``) can narrow the caller's view but never widen it.
    """
    chosen = {key: value for key, value in filters.items() if value is not None}
    scope = scope_filter(principal, owner_field)
    if scope and chosen:
        return {"$and": [scope, chosen]}
    return scope or chosen


def can_see(principal: Principal, owner_id: str | None, team: str | None) -> bool:
    return principal.sales_scope().allows(owner_id, team)


def ensure_visible(principal: Principal, owner_id: str | None, team: str | None, what: str) -> None:
    """Hide records the caller may not see as if they did not exist."""
    if not can_see(principal, owner_id, team):
        raise NotFound(f"No {what} with that id.")


async def ensure_customer_visible(
    parts: Components, principal: Principal, customer_id: str
) -> None:
    """Refuse a new opportunity, quote, order or task for a customer the caller may not
    see (422 naming ``body.customer_id``, as an unknown pipeline is refused), before
    anything is written: its spend and tier would follow the record, and a task would put
    the customer onto its assignee's list (and its tier into the choice of assignee).

    The rule is the customer service's (:meth:`Principal.customer_scope`), applied to
    sales' copy of customers. A customer the copy does not hold (unknown, erased, merged
    away, or created a moment ago and not yet announced) gets the same answer as one the
    caller may not see, so the answer does not tell which ids exist.
    """
    scope = principal.customer_scope()
    if scope.unrestricted:
        return
    customer = await parts.customers.get(customer_id)
    if customer is None or not scope.allows(customer.owner_id, customer.team):
        raise InvalidInput(
            f"No customer {customer_id!r} that you may see.",
            errors=[
                FieldError(field="body.customer_id", reason="no customer with this id you may see")
            ],
        )
