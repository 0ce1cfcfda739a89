"""Events about the platform itself, published by the chassis on behalf of any service."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/platform"


@event_type("crm.platform.dead_letter.parked.v1", source=SOURCE)
class DeadLetterParked(EventData):
    """A consumer gave up on a message and parked it in its dead-letter queue, where an
    administrator inspects and replays it."""

    service: str = Field(description="the consuming service whose dead-letter queue holds it")
    queue: str
    event_id: str | None = Field(default=None, description="None when it was no CloudEvent")
    event_type: str | None = None
    reason: str = Field(description="'handler_failed' or 'malformed'")
    error: str | None = None
    attempts: int = 1
    parked_at: datetime
