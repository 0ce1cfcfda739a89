"""Queries over the tasks collection (the tasks themselves are a chassis VersionedStore)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sales.domain.tasks import ACTIVE


def overdue_query(now: datetime, *, overdue: bool) -> dict[str, Any]:
    """Tasks still to do and past their due time (``overdue``), or every other task: the
    same rule as :func:`sales.domain.tasks.is_overdue`."""
    active = [status.value for status in ACTIVE]
    if overdue:
        return {"status": {"$in": active}, "due_at": {"$lt": now}}
    return {
        "$or": [
            {"status": {"$nin": active}},
            {"due_at": None},
            {"due_at": {"$gte": now}},
        ]
    }
