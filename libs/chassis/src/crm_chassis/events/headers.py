"""AMQP headers of the retry and dead-letter path."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aio_pika.abc import AbstractIncomingMessage

ATTEMPT = "x-crm-attempt"
"""How many times handling has failed so far (0 or absent on first delivery)."""
ROUTING_KEY = "x-crm-routing-key"
REASON = "x-crm-dead-letter-reason"
ERROR = "x-crm-error"
DEAD_LETTERED_AT = "x-crm-dead-lettered-at"

_ERROR_MAX_CHARS = 2000
_DROPPED = {
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
}


def _carried(message: AbstractIncomingMessage) -> dict[str, Any]:
    # The broker's own dead-letter bookkeeping grows with every retry round; our
    # attempt header already says what matters.
    headers = {key: value for key, value in message.headers.items() if key not in _DROPPED}
    headers.setdefault(ROUTING_KEY, message.routing_key or "")
    return headers


def retry_headers(message: AbstractIncomingMessage, attempt: int) -> dict[str, Any]:
    return {**_carried(message), ATTEMPT: attempt}


def dead_letter_headers(
    message: AbstractIncomingMessage, error: BaseException, *, reason: str
) -> dict[str, Any]:
    return {
        **_carried(message),
        REASON: reason,
        ERROR: f"{type(error).__name__}: {error}"[:_ERROR_MAX_CHARS],
        DEAD_LETTERED_AT: datetime.now(UTC).isoformat(),
    }


def replay_headers(message: AbstractIncomingMessage) -> dict[str, Any]:
    """Headers for a replayed dead letter: the error cleared, the attempt count reset."""
    headers = _carried(message)
    for key in (REASON, ERROR, DEAD_LETTERED_AT):
        headers.pop(key, None)
    headers[ATTEMPT] = 0
    return headers
