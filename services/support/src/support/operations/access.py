"""Record-level rules on tickets, on top of the route permissions.

Support agents, managers, analysts, administrators and integrations see every
ticket (the shared queue). A sales rep sees only the tickets of customers they own
(from the customer projection). Changing a ticket needs ``tickets:write``; an agent
who is not an administrator may change only tickets that are unassigned, assigned
to them, or owned by their team.
"""

from __future__ import annotations

from typing import Any

from crm_chassis.auth import Principal
from crm_chassis.domain_errors import NotAllowed, RecordNotFound
from crm_contracts.access import Role
from support.components import Components
from support.domain.tickets import Ticket

SEES_ALL_TICKETS = frozenset(
    {Role.ADMIN, Role.SUPPORT_AGENT, Role.SALES_MANAGER, Role.ANALYST, Role.INTEGRATION}
)
WORKS_ALL_TICKETS = frozenset({Role.ADMIN, Role.INTEGRATION})


async def ticket_scope(support: Components, principal: Principal) -> dict[str, Any]:
    """The query restricting a ticket list to what the caller may see."""
    if principal.roles & SEES_ALL_TICKETS:
        return {}
    return {"customer_id": {"$in": await support.customers.owned_by(principal.subject)}}


async def ensure_visible(support: Components, principal: Principal, ticket: Ticket) -> None:
    if principal.roles & SEES_ALL_TICKETS:
        return
    owned = await support.customers.owned_by(principal.subject)
    if ticket.customer_id not in owned:
        raise RecordNotFound(f"No ticket {ticket.id}.")  # do not reveal that it exists


async def visible_ticket(support: Components, principal: Principal, ticket_id: str) -> Ticket:
    """The ticket, if the caller may see it (404 alike when missing or hidden)."""
    ticket = await support.tickets.require(ticket_id)
    await ensure_visible(support, principal, ticket)
    return ticket


def work_check(principal: Principal) -> Any:
    """A check for ``update_ticket``: may this caller change the ticket?"""

    def check(ticket: Ticket) -> None:
        if principal.roles & WORKS_ALL_TICKETS:
            return
        mine = ticket.assignee_id in (None, principal.subject)
        my_team = ticket.team is not None and ticket.team == principal.team
        if not (mine or my_team):
            raise NotAllowed("This ticket belongs to another agent and team.")

    return check
