"""Notification preferences, one document per person who set theirs (``_id`` = user id);
a person without one has the defaults."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from notifications.domain.preferences import Preferences
from notifications.store.schema import PREFERENCES

_FIELDS = ("language", "time_zone", "quiet_hours", "digest", "channels")


class PreferenceStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[PREFERENCES]

    async def get(self, user_id: str) -> Preferences:
        document = await self.collection.find_one({"_id": user_id})
        return _from_document(document)

    async def of_people(self, user_ids: Collection[str]) -> dict[str, Preferences]:
        """Everyone's preferences, the defaults for those who set none."""
        found = {
            document["_id"]: _from_document(document)
            async for document in self.collection.find({"_id": {"$in": list(user_ids)}})
        }
        return {user_id: found.get(user_id) or Preferences() for user_id in user_ids}

    async def put(self, user_id: str, preferences: Preferences, at: datetime) -> None:
        await self.collection.replace_one(
            {"_id": user_id},
            {**preferences.model_dump(mode="json"), "updated_at": at},
            upsert=True,
        )


def _from_document(document: Document | None) -> Preferences:
    if document is None:
        return Preferences()
    return Preferences.model_validate(
        {name: document[name] for name in _FIELDS if name in document}
    )
