"""Local copies of another service's records, kept from that service's events.

Events arrive in any order and more than once, so a copy keeps, per aspect of the
record it follows (its profile, its tier), the stamp of the event it last applied: the
order the producer gave (a version, a time) and, to break ties, the event id.
:func:`apply_if_newer` writes an event's fields only when its stamp is newer, creating
the copy when it is the first event seen. "Newer event wins" is thereby the same in
every service, and a redelivery or a late, older event changes nothing.

An erased record must stay erased whatever order its events arrive in: deleting the
copy would let a late creation or update insert the name and e-mail again. So the
copy becomes a tombstone (its id, an erased marker and the erasure time, nothing
personal), every write to a copy is narrowed with :func:`live`, and an upsert that
meets the tombstone collides with it on ``_id`` instead of inserting a new copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document

ERASED: Final = "erased"
LIVE: Final[Mapping[str, Any]] = {ERASED: {"$ne": True}}
STAMPS: Final = "_applied"


@dataclass(frozen=True)
class Stamp:
    """Where an event stands among the events of one aspect of a record: the order its
    producer gave it (a version or a time) and its id, which breaks ties."""

    order: int | datetime
    event_id: str


def _newer_than_applied(aspect: str, stamp: Stamp) -> Document:
    field = f"{STAMPS}.{aspect}"
    return {
        "$or": [
            {field: {"$exists": False}},
            {f"{field}.order": {"$lt": stamp.order}},
            {f"{field}.order": stamp.order, f"{field}.event_id": {"$lt": stamp.event_id}},
        ]
    }


async def apply_if_newer(
    collection: AsyncCollection[Document],
    record_id: str,
    aspect: str,
    stamp: Stamp,
    fields: Mapping[str, Any],
    *,
    on_insert: Mapping[str, Any] | None = None,
) -> bool:
    """Set ``fields`` on the copy of ``record_id`` if ``stamp`` is newer than the last
    event applied to ``aspect``, creating the copy (with ``on_insert`` too) when it
    does not exist. Whether the event was applied; never applied to a tombstone."""
    update: Document = {
        "$set": {**fields, f"{STAMPS}.{aspect}": {"order": stamp.order, "event_id": stamp.event_id}}
    }
    if on_insert:
        update["$setOnInsert"] = dict(on_insert)
    query = live({"_id": record_id, **_newer_than_applied(aspect, stamp)})
    try:
        result = await collection.update_one(query, update, upsert=True)
    except DuplicateKeyError:
        # The copy exists with a newer stamp, is a tombstone, or was created at this
        # moment by another event: in the last case the event may still be newer.
        result = await collection.update_one(query, update)
        return result.modified_count == 1
    return result.upserted_id is not None or result.modified_count == 1


def live(query: Mapping[str, Any]) -> Document:
    """``query`` narrowed to copies that are not tombstones."""
    return {**query, **LIVE}


async def tombstone(
    collection: AsyncCollection[Document], record_id: str, erased_at: datetime
) -> None:
    """Replace the copy of ``record_id`` by its tombstone, or create the tombstone when
    the erasure arrives before any other event of the record."""
    marker: Document = {ERASED: True, "erased_at": erased_at}
    try:
        await collection.replace_one({"_id": record_id}, marker, upsert=True)
    except DuplicateKeyError:  # a copy was inserted at the same moment: replace it
        await collection.replace_one({"_id": record_id}, marker)
