"""Who people are (this service's copy of the gateway's user directory) and who of an
alert's audience receives it.

A recipient who is unknown to the directory or inactive gets nothing. Managers of a
team are its active users with the role ``sales_manager``, its agents those with
``support_agent``, administrators those with ``admin``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crm_contracts.access import Role
from notifications.domain.alerts import Audience


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str
    display_name: str
    roles: frozenset[str]
    team: str | None
    active: bool

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles


@dataclass(frozen=True)
class RoleQuery:
    """The active holders of ``role``, in ``teams`` when given (else in any team)."""

    role: Role
    teams: tuple[str, ...] | None = None


def named(audience: Audience) -> tuple[str, ...]:
    """The people to look up by id first: those named, and those whose team counts."""
    return tuple(dict.fromkeys((*audience.people, *audience.managers_of_teams_of)))


def role_queries(audience: Audience, found: Mapping[str, Person]) -> list[RoleQuery]:
    """Which holders of a role the audience takes in, given the named people ``found``."""
    manager_teams = list(audience.manager_teams)
    for person_id in audience.managers_of_teams_of:
        person = found.get(person_id)
        if person is not None and person.team:
            manager_teams.append(person.team)
    queries = []
    if manager_teams:
        queries.append(RoleQuery(Role.SALES_MANAGER, tuple(dict.fromkeys(manager_teams))))
    if audience.agent_teams:
        queries.append(RoleQuery(Role.SUPPORT_AGENT, tuple(dict.fromkeys(audience.agent_teams))))
    if audience.administrators:
        queries.append(RoleQuery(Role.ADMIN))
    return queries


def recipients(
    audience: Audience, found: Mapping[str, Person], role_holders: Iterable[Person]
) -> list[Person]:
    """Everyone the audience names or takes in by role, once each, active only, never
    the excluded: the named people first, in the order named."""
    chosen: dict[str, Person] = {}
    for person_id in audience.people:
        person = found.get(person_id)
        if person is not None:
            chosen.setdefault(person_id, person)
    for person in role_holders:
        chosen.setdefault(person.user_id, person)
    excluded = set(audience.excluded)
    return [
        person
        for person_id, person in chosen.items()
        if person.active and person_id not in excluded
    ]
