"""Roles and permissions: the access contract the gateway and every service enforce.

The gateway checks permissions before routing; each service checks them again
from the verified token. Record-level rules (a rep sees their own records, a
manager their team's) are applied by the owning service on top of these; the rule
for customers is here too, since every service keeping a copy of customers applies it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    SALES_MANAGER = "sales_manager"
    SALES_REP = "sales_rep"
    MARKETER = "marketer"
    SUPPORT_AGENT = "support_agent"
    ANALYST = "analyst"
    INTEGRATION = "integration"


class Permission(StrEnum):
    CUSTOMERS_READ = "customers:read"
    CUSTOMERS_WRITE = "customers:write"
    CUSTOMERS_DELETE = "customers:delete"
    CUSTOMERS_IMPORT = "customers:import"
    CUSTOMERS_EXPORT = "customers:export"
    CUSTOMERS_READ_PII = "customers:read_pii"
    CUSTOMERS_ERASE = "customers:erase"
    CUSTOMERS_ADMIN = "customers:admin"
    LEADS_READ = "leads:read"
    LEADS_WRITE = "leads:write"
    SALES_READ = "sales:read"
    SALES_WRITE = "sales:write"
    SALES_READ_ALL = "sales:read_all"
    SALES_ADMIN = "sales:admin"
    CAMPAIGNS_READ = "campaigns:read"
    CAMPAIGNS_WRITE = "campaigns:write"
    CAMPAIGNS_SEND = "campaigns:send"
    TICKETS_READ = "tickets:read"
    TICKETS_WRITE = "tickets:write"
    SUPPORT_ADMIN = "support:admin"
    KNOWLEDGE_READ = "knowledge:read"
    KNOWLEDGE_WRITE = "knowledge:write"
    REPORTS_READ = "reports:read"
    REPORTS_ADMIN = "reports:admin"
    USERS_ADMIN = "users:admin"
    WEBHOOKS_MANAGE = "webhooks:manage"
    AUDIT_READ = "audit:read"
    EVENTS_ADMIN = "events:admin"
    # One's own inbox and notification preferences (every person, no integration client).
    NOTIFICATIONS_OWN = "notifications:own"
    # The notices mailed to customers: their templates and reminder steps.
    NOTIFICATIONS_ADMIN = "notifications:admin"


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SALES_MANAGER: frozenset(
        {
            P.NOTIFICATIONS_OWN,
            P.CUSTOMERS_READ,
            P.CUSTOMERS_WRITE,
            P.CUSTOMERS_EXPORT,
            P.CUSTOMERS_READ_PII,
            P.CUSTOMERS_IMPORT,
            P.LEADS_READ,
            P.LEADS_WRITE,
            P.SALES_READ,
            P.SALES_WRITE,
            P.SALES_READ_ALL,
            P.CAMPAIGNS_READ,
            P.TICKETS_READ,
            P.KNOWLEDGE_READ,
            P.REPORTS_READ,
        }
    ),
    Role.SALES_REP: frozenset(
        {
            P.NOTIFICATIONS_OWN,
            P.CUSTOMERS_READ,
            P.CUSTOMERS_WRITE,
            P.LEADS_READ,
            P.LEADS_WRITE,
            P.SALES_READ,
            P.SALES_WRITE,
            P.TICKETS_READ,
            P.KNOWLEDGE_READ,
        }
    ),
    Role.MARKETER: frozenset(
        {
            P.NOTIFICATIONS_OWN,
            P.CUSTOMERS_READ,
            P.CUSTOMERS_EXPORT,
            P.LEADS_READ,
            P.CAMPAIGNS_READ,
            P.CAMPAIGNS_WRITE,
            P.CAMPAIGNS_SEND,
            P.REPORTS_READ,
        }
    ),
    Role.SUPPORT_AGENT: frozenset(
        {
            P.NOTIFICATIONS_OWN,
            P.CUSTOMERS_READ,
            P.CUSTOMERS_READ_PII,
            P.TICKETS_READ,
            P.TICKETS_WRITE,
            P.KNOWLEDGE_READ,
            P.KNOWLEDGE_WRITE,
        }
    ),
    Role.ANALYST: frozenset(
        {
            P.NOTIFICATIONS_OWN,
            P.CUSTOMERS_READ,
            P.SALES_READ,
            P.SALES_READ_ALL,
            P.CAMPAIGNS_READ,
            P.TICKETS_READ,
            P.REPORTS_READ,
            P.REPORTS_ADMIN,
        }
    ),
    Role.INTEGRATION: frozenset(
        {
            P.CUSTOMERS_READ,
            P.CUSTOMERS_WRITE,
            P.CUSTOMERS_IMPORT,
            P.CUSTOMERS_EXPORT,
            P.LEADS_READ,
            P.LEADS_WRITE,
            P.SALES_READ,
            P.SALES_WRITE,
            P.SALES_READ_ALL,
            P.TICKETS_READ,
            P.TICKETS_WRITE,
            P.REPORTS_READ,
        }
    ),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def granted_permissions(roles: Iterable[Role], kind: str, scopes: frozenset[str]) -> frozenset[str]:
    """What a token may do: its roles' permissions, narrowed by its scopes for clients.

    The gateway and every service apply the same rule, so an integration client whose
    token carries ``scope="customers:read"`` can do no more than read customers, even
    where its role allows writes.
    """
    granted = frozenset(permission.value for permission in permissions_of(roles))
    if kind == "client" and scopes:
        return granted & scopes
    return granted


@dataclass(frozen=True)
class RecordScope:
    """The records of one kind a caller may see: all of them (both fields ``None``), or
    those they own or, with ``team`` set, those of their team (either one suffices)."""

    owner_id: str | None = None
    team: str | None = None

    @property
    def unrestricted(self) -> bool:
        return self.owner_id is None and self.team is None

    def allows(self, owner_id: str | None, team: str | None) -> bool:
        if self.unrestricted:
            return True
        return (self.owner_id is not None and owner_id == self.owner_id) or (
            self.team is not None and team == self.team
        )

    def query(self, owner_field: str = "owner_id", team_field: str = "team") -> dict[str, Any]:
        """The same rule as a MongoDB filter on a record's owner and team fields."""
        alternatives: list[dict[str, Any]] = []
        if self.owner_id is not None:
            alternatives.append({owner_field: self.owner_id})
        if self.team is not None:
            alternatives.append({team_field: self.team})
        return {"$or": alternatives} if alternatives else {}


SEES_EVERY_CUSTOMER = frozenset(
    {Role.ADMIN, Role.ANALYST, Role.INTEGRATION, Role.MARKETER, Role.SUPPORT_AGENT}
)
SEES_EVERY_SALES_RECORD = frozenset({Role.ADMIN, Role.ANALYST, Role.INTEGRATION, Role.MARKETER})


def _scope(
    sees_every: frozenset[Role], roles: Collection[Role], subject: str, team: str | None
) -> RecordScope:
    if sees_every & set(roles):
        return RecordScope()
    if Role.SALES_MANAGER in roles:
        return RecordScope(owner_id=subject, team=team)
    return RecordScope(owner_id=subject)


def customer_scope(roles: Collection[Role], subject: str, team: str | None) -> RecordScope:
    """Which customers a caller may see, wherever customers are shown: admins, analysts,
    integrations, marketing and support see every customer; a sales manager their team's
    and their own; anyone else (a sales rep) only the ones they own."""
    return _scope(SEES_EVERY_CUSTOMER, roles, subject, team)


def sales_scope(roles: Collection[Role], subject: str, team: str | None) -> RecordScope:
    """Which sales records (leads, deals, quotes, orders, tasks) and sales figures a
    caller may see: admins, analysts, integrations and marketing all of them; a sales
    manager their team's and their own; anyone else (a sales rep) their own. Support
    agents work on customers, not deals, so they see only what they own."""
    return _scope(SEES_EVERY_SALES_RECORD, roles, subject, team)
