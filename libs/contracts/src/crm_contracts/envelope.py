"""The CloudEvents 1.0 envelope every domain event travels in.

Only the structure of the envelope lives here; the schema of each event's ``data``
is a model in :mod:`crm_contracts.events`. ``traceparent`` is the CloudEvents
distributed-tracing extension, carrying the W3C trace context across the broker.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _new_event_id() -> str:
    return str(uuid.uuid4())


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 envelope in JSON structured mode."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: str = "1.0"
    id: str = Field(default_factory=_new_event_id)
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=_utc_now)
    datacontenttype: str = "application/json"
    traceparent: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_json_bytes(cls, body: bytes) -> CloudEvent:
        return cls.model_validate_json(body)
