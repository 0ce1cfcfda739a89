"""Deleting a versioned record on the version the caller read."""

from __future__ import annotations

from typing import Any

from crm_chassis.domain_errors import RecordNotFound, VersionConflict
from crm_chassis.versioned_store import VersionedStore


async def delete_at(
    store: VersionedStore[Any], record_id: str, expected_version: int | None, missing: str
) -> None:
    """Delete the record if it is still at ``expected_version`` (any version when None):
    :class:`RecordNotFound` (``missing``) when it is gone, :class:`VersionConflict` when
    it moved on."""
    query: dict[str, Any] = {"_id": record_id}
    if expected_version is not None:
        query["version"] = expected_version
    if (await store.collection.delete_one(query)).deleted_count == 1:
        return
    if await store.get(record_id) is None:
        raise RecordNotFound(missing)
    raise VersionConflict(record_id)
