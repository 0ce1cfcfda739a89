"""Dependencies shared by the routes: the components, who may call them, report filters
and record scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from analytics.components import Components, components
from analytics.domain.periods import MONTH_PATTERN
from analytics.domain.reports import GroupBy
from analytics.operations.reporting import ReportFilters
from crm_chassis.auth import Principal, allowed
from crm_chassis.errors import FieldError, Forbidden, InvalidInput
from crm_chassis.service import RuntimeDep
from crm_contracts.access import SEES_EVERY_SALES_RECORD, Permission, Role


async def get_components(runtime: RuntimeDep) -> Components:
    return components(runtime)


ComponentsDep = Annotated[Components, Depends(get_components)]

ReportsReader = Annotated[Principal, allowed(Permission.REPORTS_READ)]
ReportsAdmin = Annotated[Principal, allowed(Permission.REPORTS_ADMIN)]

Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM")]
Dim = Annotated[str | None, Query(max_length=200)]


async def report_filters(
    period_from: Month = None,
    period_to: Month = None,
    owner: Dim = None,
    team: Dim = None,
    pipeline: Dim = None,
    group_by: GroupBy = "owner",
) -> ReportFilters:
    if period_from and period_to and period_to < period_from:
        raise InvalidInput(
            "The period ends before it starts.",
            errors=[FieldError(field="query.period_to", reason="must not be before period_from")],
        )
    return ReportFilters(
        period_from=period_from,
        period_to=period_to,
        owner=owner,
        team=team,
        pipeline=pipeline,
        group_by=group_by,
    )


FiltersDep = Annotated[ReportFilters, Depends(report_filters)]


def team_scope(principal: Principal) -> str | None:
    """The team a caller is limited to: a sales manager sees their own team's figures;
    admins, analysts, marketers and integrations see every team (None)."""
    if principal.roles & SEES_EVERY_SALES_RECORD or not principal.has_role(Role.SALES_MANAGER):
        return None
    if not principal.team:
        raise Forbidden("Your account has no team, so it can see no team's figures.")
    return principal.team


def scoped(filters: ReportFilters, principal: Principal) -> ReportFilters:
    team = team_scope(principal)
    if team is None:
        return filters
    if filters.team not in (None, team):
        raise Forbidden("You can only see your own team's figures.")
    return filters.model_copy(update={"team": team})
