"""The audit trail: one entry per write through the gateway."""

from __future__ import annotations

import secrets
import time
from datetime import datetime

from pydantic import BaseModel

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def outcome_of(status: int) -> str:
    if status < 400:
        return "success"
    if status in (401, 403):
        return "denied"
    if status == 429:
        return "rate_limited"
    if status < 500:
        return "rejected"
    return "error"


def new_entry_id() -> str:
    """An opaque id that sorts in the order entries were made (32 hex characters), so
    entries recorded within the same millisecond (the resolution of ``at`` once
    stored) still list in order."""
    return f"{time.time_ns():016x}{secrets.token_hex(8)}"


class AuditEntry(BaseModel):
    """Who did what, when, through which route, and how it ended (never the body)."""

    id: str
    at: datetime
    actor: str | None
    actor_kind: str | None
    roles: list[str]
    method: str
    path: str
    route: str | None
    service: str
    status: int
    outcome: str
    request_id: str | None
    client_address: str | None
    duration_ms: float
