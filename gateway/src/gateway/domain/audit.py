"""The audit trail: one entry per write through the gateway by a known caller, or
that succeeded.

Anyone can send any number of anonymous writes, so those that were refused (401,
404, 429, ...) are counted in a metric instead of stored one by one: storage then
grows with what callers are accountable for (a signed token, a rate limit per
subject) or with what the platform did, never with an attacker's request rate.
Entries are kept for the configured retention (``CRM_AUDIT_RETENTION_DAYS``).
"""

from __future__ import annotations

import secrets
import time
from datetime import datetime

from pydantic import BaseModel

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A path longer than this is stored cut, with a marker: ids are far shorter, and an
# entry must not carry whatever a caller puts in a URL.
MAX_PATH_LENGTH = 512
_CUT = "..."


def is_audited(authenticated: bool, status: int) -> bool:
    """Writes by a caller with a verified token are audited whatever their outcome (a
    revoked token included: it names who held it); anonymous ones only when they
    succeeded (a sign-in, a public form, an unsubscribe did something)."""
    return authenticated or status < 400


def stored_path(path: str) -> str:
    """``path``, cut to :data:`MAX_PATH_LENGTH` characters."""
    if len(path) <= MAX_PATH_LENGTH:
        return path
    return path[: MAX_PATH_LENGTH - len(_CUT)] + _CUT


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
