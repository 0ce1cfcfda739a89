"""A person's notification preferences and what they decide: the channels of each
kind, and when mail may go out (quiet hours, the digest), in the person's time zone.

Defaults: Chinese, Asia/Shanghai, no quiet hours, no digest, every kind in the console
and the urgent kinds also by e-mail. A kind with no channel creates no inbox item.

Quiet hours hold mail, never the inbox, until they end in the person's time zone; a
window whose end is before its start runs over midnight (22:00 to 07:00). With the
daily digest on, the per-item mails of non-urgent kinds are replaced by the digest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from notifications.domain.alerts import URGENT_KINDS, Kind, Language

DEFAULT_LANGUAGE = Language.ZH_CN
DEFAULT_TIME_ZONE = "Asia/Shanghai"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class Channel(StrEnum):
    CONSOLE = "console"
    EMAIL = "email"


def default_channels(kind: Kind) -> list[Channel]:
    return [Channel.CONSOLE, Channel.EMAIL] if kind in URGENT_KINDS else [Channel.CONSOLE]


def clock_time(text: str) -> time:
    """``HH:MM`` (00:00 to 23:59) as a time of day; ValueError otherwise."""
    match = _CLOCK.match(text)
    if match is None:
        raise ValueError("must be a time of day as HH:MM, 00:00 to 23:59")
    return time(int(match.group(1)), int(match.group(2)))


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Asia/Shanghai``); ValueError when there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("must be an IANA time zone name such as Asia/Shanghai") from None


class QuietHours(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: str = Field(description="HH:MM in the person's time zone")
    end: str = Field(description="HH:MM; before start means the next day")

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        clock_time(value)
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("start and end must differ")
        return self


class Digest(BaseModel):
    model_config = ConfigDict(frozen=True)

    enabled: bool = False
    at: str = Field(default="08:00", description="HH:MM in the person's time zone")

    @field_validator("at")
    @classmethod
    def _clock(cls, value: str) -> str:
        clock_time(value)
        return value


class Preferences(BaseModel):
    """One person's preferences; ``channels`` names every kind (defaults filled in)."""

    model_config = ConfigDict(frozen=True)

    language: Language = DEFAULT_LANGUAGE
    time_zone: str = DEFAULT_TIME_ZONE
    quiet_hours: QuietHours | None = None
    digest: Digest = Digest()
    channels: dict[Kind, list[Channel]] = Field(default_factory=dict, validate_default=True)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        time_zone(name)
        return name

    @field_validator("channels")
    @classmethod
    def _every_kind_once(cls, given: dict[Kind, list[Channel]]) -> dict[Kind, list[Channel]]:
        for kind, channels in given.items():
            if len(set(channels)) != len(channels):
                raise ValueError(f"{kind}: each channel at most once")
        return {
            kind: sorted(given[kind]) if kind in given else default_channels(kind) for kind in Kind
        }

    @property
    def zone(self) -> ZoneInfo:
        return time_zone(self.time_zone)

    def channels_of(self, kind: Kind) -> frozenset[Channel]:
        return frozenset(self.channels.get(kind, default_channels(kind)))


def defaults() -> Preferences:
    return Preferences()


class MailState(StrEnum):
    """Where an item's mail stands: due now, held by quiet hours until ``due_at``, sent,
    not wanted (no e-mail channel for the kind, or the digest covers it), or failed (the
    mail server refused it for good, the person has no address, or it kept failing)."""

    PENDING = "pending"
    HELD_UNTIL = "held_until"
    SENT = "sent"
    NOT_WANTED = "not_wanted"
    FAILED = "failed"


@dataclass(frozen=True)
class MailPlan:
    state: MailState
    due_at: datetime | None = None
    reason: str | None = None

    def document(self) -> Mapping[str, object]:
        return {"state": self.state.value, "due_at": self.due_at, "reason": self.reason}


def quiet_until(preferences: Preferences, moment: datetime) -> datetime | None:
    """When the quiet hours around ``moment`` end (UTC), or None outside quiet hours."""
    window = preferences.quiet_hours
    if window is None:
        return None
    zone = preferences.zone
    local = moment.astimezone(zone)
    start, end = clock_time(window.start), clock_time(window.end)
    now = local.time()
    if start < end:
        inside = start <= now < end
        end_day = local.date()
    else:  # over midnight: from start today, or until end this morning
        inside = now >= start or now < end
        end_day = local.date() + timedelta(days=1) if now >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def mail_plan(preferences: Preferences, kind: Kind, now: datetime) -> MailPlan:
    """What the item of ``kind`` created ``now`` does about mail, by the person's
    preferences at that moment."""
    if Channel.EMAIL not in preferences.channels_of(kind):
        return MailPlan(MailState.NOT_WANTED, reason="channel")
    if preferences.digest.enabled and kind not in URGENT_KINDS:
        return MailPlan(MailState.NOT_WANTED, reason="digest")
    held = quiet_until(preferences, now)
    if held is not None:
        return MailPlan(MailState.HELD_UNTIL, due_at=held, reason="quiet_hours")
    return MailPlan(MailState.PENDING, due_at=now)
