"""Outbound webhooks: subscriptions, the signature, and the delivery schedule.

Signatures follow the Standard Webhooks specification: the secret is
``whsec_<base64 key>``; ``webhook-signature`` is ``v1,<base64 HMAC-SHA256 over
"{webhook-id}.{webhook-timestamp}.{body}">``, so receivers can use any Standard
Webhooks library to verify.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    FAILED = "failed"


def new_subscription_id() -> str:
    return "whs_" + secrets.token_hex(8)


def new_webhook_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def delivery_id(subscription_id: str, event_id: str) -> str:
    """Stable per (subscription, event): a redelivered event makes no second delivery,
    and receivers deduplicate on the ``webhook-id`` header."""
    digest = hashlib.sha256(f"{subscription_id}:{event_id}".encode()).hexdigest()[:24]
    return "msg_" + digest


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, message_id: str, timestamp: int, body: bytes, header: str) -> bool:
    """What a receiver does (used by our tests); any listed ``v1`` signature may match."""
    expected = sign(secret, message_id, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split())


def signature_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


def matches(patterns: Sequence[str], event_type: str) -> bool:
    """Exact types or shell-style patterns (``crm.sales.*``, ``*``)."""
    return any(fnmatch.fnmatchcase(event_type, pattern) for pattern in patterns)


def next_attempt_at(attempts_made: int, delays: Sequence[float], now: datetime) -> datetime | None:
    """When to try again after ``attempts_made`` failed attempts, or None when the
    schedule is exhausted and the delivery has failed for good."""
    if attempts_made > len(delays):
        return None
    return now + timedelta(seconds=delays[attempts_made - 1])


def should_disable(consecutive_failures: int, threshold: int) -> bool:
    return consecutive_failures >= threshold


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("must be an absolute http(s) URL")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials")
    if len(value) > 2000:
        raise ValueError("must have at most 2000 characters")
    return value


def _check_patterns(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        if not pattern or len(pattern) > 200 or not pattern.replace("*", "x").isprintable():
            raise ValueError("event types are printable names or patterns like crm.sales.*")
    return sorted(set(patterns))


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    event_types: list[str] = Field(min_length=1, max_length=100)
    client_id: str | None = Field(default=None, description="The integration client it serves.")
    description: str = Field(default="", max_length=500)

    _url = field_validator("url")(_check_url)
    _patterns = field_validator("event_types")(_check_patterns)


class SubscriptionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = Field(
        default=None, description="Set true to re-enable after automatic disabling."
    )

    @field_validator("url")
    @classmethod
    def _url_rules(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)

    @field_validator("event_types")
    @classmethod
    def _pattern_rules(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_patterns(value)


class SubscriptionRecord(BaseModel):
    id: str = Field(alias="_id")
    url: str
    event_types: list[str]
    client_id: str | None = None
    description: str = ""
    secret: str
    active: bool = True
    disabled_reason: str | None = None
    consecutive_failures: int = 0
    created_by: str
    version: int = 1
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(populate_by_name=True)


class SubscriptionOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    client_id: str | None
    description: str
    active: bool
    disabled_reason: str | None
    consecutive_failures: int
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: SubscriptionRecord) -> SubscriptionOut:
        return cls.model_validate(record.model_dump(exclude={"secret", "created_by"}))


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Verifies webhook-signature; shown once.")


class DeliveryAttempt(BaseModel):
    at: datetime
    status_code: int | None = None
    error: str | None = None
    duration_ms: float


class DeliveryOut(BaseModel):
    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: list[DeliveryAttempt]
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None = None
