"""The table from CloudEvents type name to the model of its ``data``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from crm_contracts.envelope import CloudEvent


class EventData(BaseModel):
    """Base of every event payload.

    Unknown fields are ignored when reading so that a producer may add optional
    fields without breaking older consumers (backward-compatible evolution).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    TYPE: ClassVar[str]
    SOURCE: ClassVar[str]


EVENT_TYPES: dict[str, type[EventData]] = {}

_E = TypeVar("_E", bound=type[EventData])


def event_type(name: str, *, source: str) -> Callable[[_E], _E]:
    """Register a payload model under its versioned CloudEvents type name."""

    def register(model: _E) -> _E:
        if name in EVENT_TYPES:
            raise ValueError(f"event type {name} registered twice")
        model.TYPE = name
        model.SOURCE = source
        EVENT_TYPES[name] = model
        return model

    return register


def to_cloud_event(data: EventData, *, subject: str | None = None, **extensions: Any) -> CloudEvent:
    """Wrap a payload in a new envelope with a fresh id and the current time."""
    return CloudEvent(
        source=data.SOURCE,
        type=data.TYPE,
        subject=subject,
        data=data.model_dump(mode="json"),
        **extensions,
    )


def parse_data(event: CloudEvent) -> EventData:
    """Validate an envelope's ``data`` against the model registered for its type."""
    try:
        model = EVENT_TYPES[event.type]
    except KeyError:
        raise LookupError(f"unknown event type {event.type}") from None
    return model.model_validate(event.data)
