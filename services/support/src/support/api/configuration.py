"""Administrative resources: SLA policies, business calendars, routing rules, agents."""

from __future__ import annotations

from typing import Any

from crm_chassis.errors import FieldError, InvalidInput
from crm_contracts.access import Permission
from support.api.records import RecordResource
from support.components import Components
from support.domain.calendar import CalendarFields, NamedCalendar
from support.domain.routing import Agent, RoutingRule, RoutingRuleFields
from support.domain.sla import SlaPolicy, SlaPolicyFields, applying_defaults


async def _calendar_exists(support: Components, policy: Any) -> None:
    assert isinstance(policy, SlaPolicy)
    if policy.calendar_id and await support.calendars.get(policy.calendar_id) is None:
        raise InvalidInput(
            "The policy refers to a calendar that does not exist.",
            errors=[FieldError(field="body.calendar_id", reason="no such business calendar")],
        )


async def _agent_exists(support: Components, rule: Any) -> None:
    assert isinstance(rule, RoutingRule)
    if rule.agent_id and await support.agents.get(rule.agent_id) is None:
        raise InvalidInput(
            "The rule names an agent that does not exist.",
            errors=[FieldError(field="body.agent_id", reason="no such agent")],
        )


SLA_POLICIES = RecordResource(
    path="/api/v1/sla-policies",
    tag="sla",
    fields=SlaPolicyFields,
    record=SlaPolicy,
    store=lambda support: support.policies,
    read=Permission.TICKETS_READ,
    write=Permission.SUPPORT_ADMIN,
    sortable=("name", "priority", "tier"),
    check=_calendar_exists,
    built_in=applying_defaults,
)
BUSINESS_CALENDARS = RecordResource(
    path="/api/v1/business-calendars",
    tag="sla",
    fields=CalendarFields,
    record=NamedCalendar,
    store=lambda support: support.calendars,
    read=Permission.TICKETS_READ,
    write=Permission.SUPPORT_ADMIN,
)
ROUTING_RULES = RecordResource(
    path="/api/v1/ticket-routing-rules",
    tag="routing",
    fields=RoutingRuleFields,
    record=RoutingRule,
    store=lambda support: support.rules,
    read=Permission.TICKETS_READ,
    write=Permission.SUPPORT_ADMIN,
    sortable=("position", "name"),
    default_sort="position",
    check=_agent_exists,
)
AGENTS = RecordResource(
    path="/api/v1/ticket-agents",
    tag="routing",
    fields=Agent,
    record=Agent,
    store=lambda support: support.agents,
    read=Permission.TICKETS_READ,
    write=Permission.SUPPORT_ADMIN,
    sortable=("name", "team", "level"),
)

routers = [r.router() for r in (SLA_POLICIES, BUSINESS_CALENDARS, ROUTING_RULES, AGENTS)]
