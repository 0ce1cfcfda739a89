"""Request and response bodies of the inbox, the stream and the preferences."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from crm_chassis.inputs import InputModel
from notifications.domain.alerts import Kind, Language
from notifications.domain.notifications import Notification
from notifications.domain.preferences import (
    Channel,
    Digest,
    Preferences,
    QuietHours,
    clock_time,
    time_zone,
)


class RecordRef(BaseModel):
    type: str = Field(description="lead, opportunity, task, ticket, invoice, import, ...")
    id: str
    path: str = Field(description="the console path that shows the record")


class NotificationOut(BaseModel):
    notification_id: str
    kind: Kind
    title: str
    body: str
    urgent: bool
    record: RecordRef
    created_at: datetime
    read_at: datetime | None
    sequence: int = Field(description="increases per person; the stream's event id")

    @classmethod
    def of(cls, item: Notification) -> NotificationOut:
        return cls(
            notification_id=item.notification_id,
            kind=item.kind,
            title=item.title,
            body=item.body,
            urgent=item.urgent,
            record=RecordRef(type=item.record.type, id=item.record.id, path=item.record.path),
            created_at=item.created_at,
            read_at=item.read_at,
            sequence=item.sequence,
        )


class UnreadCount(BaseModel):
    unread: int


class Marked(BaseModel):
    marked: int


def _clock(value: str) -> str:
    clock_time(value)
    return value


class QuietHoursIn(InputModel):
    start: str = Field(description="HH:MM in your time zone", examples=["22:00"])
    end: str = Field(description="HH:MM; before start means the next morning", examples=["07:00"])

    @field_validator("start", "end")
    @classmethod
    def _is_clock(cls, value: str) -> str:
        return _clock(value)

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHoursIn:
        if self.start == self.end:
            raise PydanticCustomError("empty_window", "start and end must differ")
        return self

    def to_domain(self) -> QuietHours:
        return QuietHours(start=self.start, end=self.end)


class DigestIn(InputModel):
    enabled: bool
    at: str = Field(description="HH:MM in your time zone", examples=["08:00"])

    @field_validator("at")
    @classmethod
    def _is_clock(cls, value: str) -> str:
        return _clock(value)


class PreferencesIn(InputModel):
    """The whole preferences document. ``channels`` may leave kinds out: they keep their
    default (console; urgent kinds also e-mail). A kind with ``[]`` is not notified."""

    language: Language
    time_zone: str = Field(description="IANA time zone name", examples=["Asia/Shanghai"])
    quiet_hours: QuietHoursIn | None
    digest: DigestIn
    channels: dict[Kind, list[Channel]] = Field(max_length=len(Kind))

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        time_zone(name)
        return name

    @field_validator("channels")
    @classmethod
    def _each_channel_once(cls, given: dict[Kind, list[Channel]]) -> dict[Kind, list[Channel]]:
        for kind, channels in given.items():
            if len(set(channels)) != len(channels):
                raise ValueError(f"{kind.value}: name each channel at most once")
        return given

    def to_domain(self) -> Preferences:
        return Preferences(
            language=self.language,
            time_zone=self.time_zone,
            quiet_hours=self.quiet_hours.to_domain() if self.quiet_hours else None,
            digest=Digest(enabled=self.digest.enabled, at=self.digest.at),
            channels=self.channels,
        )


class PreferencesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    language: Language
    time_zone: str
    quiet_hours: QuietHours | None
    digest: Digest
    channels: dict[Kind, list[Channel]]

    @classmethod
    def of(cls, preferences: Preferences) -> PreferencesOut:
        return cls.model_validate(preferences.model_dump())
