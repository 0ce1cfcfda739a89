"""Roles and permissions: the access contract the gateway and every service enforce.

The gateway checks permissions before routing; each service checks them again
from the verified token. Record-level rules (a rep sees their own records, a
manager their team's) are applied by the owning service on top of these.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


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


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SALES_MANAGER: frozenset(
        {
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
