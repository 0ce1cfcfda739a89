"""Local copies of another service's records, kept from that service's events.

An erased record must stay erased whatever order its events arrive in: deleting the
copy would let a late creation or update insert the name and e-mail again. So the
copy becomes a tombstone (its id, an erased marker and the erasure time, nothing
personal), every write to a copy is narrowed with :func:`live`, and an upsert that
meets the tombstone collides with it on ``_id`` instead of inserting a new copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document

ERASED: Final = "erased"
LIVE: Final[Mapping[str, Any]] = {ERASED: {"$ne": True}}


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
