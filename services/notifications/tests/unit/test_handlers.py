"""The consumed-event handlers, called with parts built here (no servers): the table
names one idempotent handler per kind and the directory copy; a handler gives each
recipient their item once, whatever the number of deliveries."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from crm_contracts.access import Role
from crm_contracts.events import EVENT_TYPES, gateway, sales, support
from crm_contracts.events.registry import to_cloud_event
from notifications import handlers
from notifications.components import Components
from notifications.domain.notifications import Notification
from notifications.domain.people import Person
from notifications.domain.preferences import Preferences

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass
class _People:
    known: dict[str, Person]
    applied: list[tuple[str, str]] = field(default_factory=list)

    async def by_ids(self, user_ids: Collection[str]) -> dict[str, Person]:
        return {i: self.known[i] for i in user_ids if i in self.known}

    async def holding(self, role: Role, teams: Collection[str] | None = None) -> list[Person]:
        return [
            p
            for p in self.known.values()
            if role.value in p.roles and p.active and (teams is None or p.team in teams)
        ]

    async def apply(self, user: gateway.UserChanged, event_id: str) -> bool:
        self.applied.append((user.user_id, event_id))
        return True


@dataclass
class _Items:
    stored: dict[tuple[str, str], Notification] = field(default_factory=dict)

    async def insert(self, item: Notification) -> Notification | None:
        key = (item.event_id, item.recipient)
        if key in self.stored:
            return None
        self.stored[key] = item
        return item


class _Preferences:
    async def of_people(self, user_ids: Collection[str]) -> dict[str, Preferences]:
        return {user_id: Preferences() for user_id in user_ids}


@dataclass
class _Live:
    wakes: int = 0

    def wake(self) -> None:
        self.wakes += 1


def _person(user_id: str, role: str, team: str | None = None) -> Person:
    return Person(user_id, f"{user_id}@x", user_id, frozenset({role}), team, True)


def _parts() -> tuple[Components, _Items, _People, _Live]:
    people = _People(
        {
            "agent-1": _person("agent-1", "support_agent", "tier1"),
            "agent-2": _person("agent-2", "support_agent", "tier1"),
            "admin-1": _person("admin-1", "admin"),
        }
    )
    items, live = _Items(), _Live()
    parts: Any = SimpleNamespace(
        settings=SimpleNamespace(delivery_concurrency=4),
        items=items,
        people=people,
        preferences=_Preferences(),
        live=live,
    )
    return cast(Components, parts), items, people, live


def test_the_table_has_one_idempotent_handler_per_kind_and_the_directory_copy() -> None:
    # 13 alert kinds and the directory copy, and 8 events mail to customers needs.
    assert len(handlers.HANDLERS) == 14 + 8
    assert set(handlers.HANDLERS) <= set(EVENT_TYPES)
    assert all(row.idempotent for row in handlers.HANDLERS.values())
    assert handlers.HANDLERS[support.SlaBreached.TYPE].run is handlers.sla_breached
    assert handlers.HANDLERS[gateway.UserChanged.TYPE].run is handlers.user_changed


async def test_a_breach_unassigned_tells_the_teams_agents_and_admins_once() -> None:
    parts, items, _, live = _parts()
    event = to_cloud_event(
        support.SlaBreached(
            ticket_id="K1", team="tier1", clock="resolution", due_at=NOW, breached_at=NOW
        )
    )

    await handlers.sla_breached(event, parts)
    await handlers.sla_breached(event, parts)

    assert sorted(recipient for _, recipient in items.stored) == ["admin-1", "agent-1", "agent-2"]
    assert all(item.urgent for item in items.stored.values())
    assert live.wakes == 1


async def test_an_event_for_nobody_known_stores_nothing() -> None:
    parts, items, _, live = _parts()

    await handlers.lead_assigned(
        to_cloud_event(sales.LeadAssigned(lead_id="L1", owner_id="stranger", assigned_at=NOW)),
        parts,
    )

    assert items.stored == {}
    assert live.wakes == 0


async def test_a_user_event_is_kept_in_the_directory_by_its_id() -> None:
    parts, _, people, _ = _parts()
    event = to_cloud_event(
        gateway.UserChanged(
            user_id="u1",
            email="u1@x",
            display_name="U",
            roles=["admin"],
            active=True,
            version=2,
            changed_at=NOW,
        )
    )

    await handlers.user_changed(event, parts)

    assert people.applied == [("u1", event.id)]
