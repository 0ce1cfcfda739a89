"""This service's copy of the gateway's user directory, kept from
``crm.gateway.user.changed.v1``: the newest version of each account wins
(:func:`crm_chassis.local_copies.apply_if_newer`, aspect ``profile``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.local_copies import Stamp, apply_if_newer, live
from crm_chassis.mongo import Document
from crm_contracts.access import Role
from crm_contracts.events.gateway import UserChanged
from notifications.domain.people import Person
from notifications.store.schema import PEOPLE

PROFILE = "profile"


class PeopleStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[PEOPLE]

    async def apply(self, user: UserChanged, event_id: str) -> bool:
        """Keep ``user`` if it is newer than the copy; whether it was applied."""
        return await apply_if_newer(
            self.collection,
            user.user_id,
            PROFILE,
            Stamp(user.version, event_id),
            {
                "email": user.email,
                "display_name": user.display_name,
                "roles": sorted(set(user.roles)),
                "team": user.team,
                "active": user.active,
                "changed_at": user.changed_at,
            },
        )

    async def get(self, user_id: str) -> Person | None:
        document = await self.collection.find_one(live({"_id": user_id}))
        return _person(document) if document else None

    async def by_ids(self, user_ids: Collection[str]) -> dict[str, Person]:
        """The people of ``user_ids`` the directory knows (active or not)."""
        if not user_ids:
            return {}
        cursor = self.collection.find(live({"_id": {"$in": list(user_ids)}}))
        return {document["_id"]: _person(document) async for document in cursor}

    async def holding(self, role: Role, teams: Collection[str] | None = None) -> list[Person]:
        """The active people with ``role``, in one of ``teams`` when given."""
        query: Document = {"roles": role.value, "active": True}
        if teams is not None:
            query["team"] = {"$in": list(teams)}
        cursor = self.collection.find(live(query)).sort("_id", 1)
        return [_person(document) async for document in cursor]


def _person(document: Mapping[str, Any]) -> Person:
    return Person(
        user_id=document["_id"],
        email=document.get("email", ""),
        display_name=document.get("display_name", ""),
        roles=frozenset(document.get("roles", ())),
        team=document.get("team"),
        active=bool(document.get("active", False)),
    )
