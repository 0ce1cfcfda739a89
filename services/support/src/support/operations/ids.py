"""Identifiers the service draws for new records."""

from __future__ import annotations

import secrets
import uuid


def new_id() -> str:
    return uuid.uuid4().hex


def new_ticket_reference() -> str:
    return f"TKT-{secrets.token_hex(4).upper()}"
