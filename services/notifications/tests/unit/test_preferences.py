"""Preferences without servers: defaults, validation, quiet hours in the person's time
zone (over midnight, across a daylight-saving change) and the mail state an item gets."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from crm_contracts.events import sales
from notifications.domain import alerts
from notifications.domain.alerts import Kind, Language
from notifications.domain.notifications import items_for
from notifications.domain.people import Person
from notifications.domain.preferences import (
    Channel,
    Digest,
    MailState,
    Preferences,
    QuietHours,
    clock_time,
    mail_plan,
    quiet_until,
    time_zone,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_defaults() -> None:
    preferences = Preferences()

    assert preferences.language is Language.ZH_CN
    assert preferences.zone == ZoneInfo("Asia/Shanghai")
    assert preferences.quiet_hours is None
    assert preferences.digest == Digest(enabled=False, at="08:00")
    assert set(preferences.channels) == set(Kind)
    assert preferences.channels_of(Kind.LEAD_ASSIGNED) == {Channel.CONSOLE}
    assert preferences.channels_of(Kind.SLA_BREACHED) == {Channel.CONSOLE, Channel.EMAIL}


def test_given_channels_replace_a_kinds_default_and_others_keep_theirs() -> None:
    preferences = Preferences(channels={Kind.LEAD_ASSIGNED: [], Kind.TASK_REMINDER: ["email"]})

    assert preferences.channels_of(Kind.LEAD_ASSIGNED) == frozenset()
    assert preferences.channels_of(Kind.TASK_REMINDER) == {Channel.EMAIL}
    assert preferences.channels_of(Kind.TICKET_ESCALATED) == {Channel.CONSOLE, Channel.EMAIL}


@pytest.mark.parametrize("text", ["24:00", "7:00", "07:60", "0700", "", "07:00:00", "ab:cd"])
def test_a_time_of_day_is_hh_mm(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        clock_time(text)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "/etc/localtime", "../zoneinfo/UTC"])
def test_a_time_zone_is_an_iana_name(name: str) -> None:
    with pytest.raises(ValueError, match="IANA"):
        time_zone(name)
    with pytest.raises(ValidationError):
        Preferences(time_zone=name)


def test_an_empty_quiet_window_is_refused() -> None:
    with pytest.raises(ValidationError, match="differ"):
        QuietHours(start="22:00", end="22:00")


def test_quiet_hours_within_a_day_in_the_persons_zone() -> None:
    preferences = Preferences(
        time_zone="Asia/Shanghai", quiet_hours=QuietHours(start="12:00", end="14:00")
    )

    assert quiet_until(preferences, at("2026-06-01T12:30:00+08:00")) == at(
        "2026-06-01T14:00:00+08:00"
    )
    assert quiet_until(preferences, at("2026-06-01T14:00:00+08:00")) is None
    assert quiet_until(preferences, at("2026-06-01T11:59:00+08:00")) is None


def test_quiet_hours_over_midnight_end_the_next_morning() -> None:
    preferences = Preferences(
        time_zone="Europe/Berlin", quiet_hours=QuietHours(start="22:00", end="07:00")
    )

    assert quiet_until(preferences, at("2026-06-01T23:15:00+02:00")) == at(
        "2026-06-02T07:00:00+02:00"
    )
    assert quiet_until(preferences, at("2026-06-02T06:59:00+02:00")) == at(
        "2026-06-02T07:00:00+02:00"
    )
    assert quiet_until(preferences, at("2026-06-02T07:00:00+02:00")) is None
    assert quiet_until(preferences, at("2026-06-01T21:59:00+02:00")) is None


def test_quiet_hours_end_at_the_local_time_across_a_daylight_saving_change() -> None:
    # Berlin moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
    preferences = Preferences(
        time_zone="Europe/Berlin", quiet_hours=QuietHours(start="22:00", end="07:00")
    )

    assert quiet_until(preferences, at("2026-03-28T23:00:00+01:00")) == at(
        "2026-03-29T07:00:00+02:00"
    )


def test_the_mail_state_of_a_new_item() -> None:
    now = at("2026-06-01T10:00:00+08:00")
    plain = Preferences()
    by_mail = Preferences(channels={Kind.LEAD_ASSIGNED: ["console", "email"]})
    digest = Preferences(
        channels={Kind.LEAD_ASSIGNED: ["console", "email"]}, digest=Digest(enabled=True)
    )
    quiet = Preferences(quiet_hours=QuietHours(start="09:00", end="18:00"))

    assert mail_plan(plain, Kind.LEAD_ASSIGNED, now).state is MailState.NOT_WANTED
    pending = mail_plan(by_mail, Kind.LEAD_ASSIGNED, now)
    assert (pending.state, pending.due_at) == (MailState.PENDING, now)
    # The digest replaces per-item mails of non-urgent kinds, not of urgent ones.
    assert mail_plan(digest, Kind.LEAD_ASSIGNED, now).state is MailState.NOT_WANTED
    assert mail_plan(digest, Kind.LEAD_ASSIGNED, now).reason == "digest"
    assert mail_plan(digest, Kind.SLA_BREACHED, now).state is MailState.PENDING
    held = mail_plan(quiet, Kind.SLA_BREACHED, now)
    assert (held.state, held.due_at) == (MailState.HELD_UNTIL, at("2026-06-01T18:00:00+08:00"))


def test_items_follow_each_persons_channels_and_language() -> None:
    alert = alerts.lead_assigned(
        sales.LeadAssigned(
            lead_id="L1", owner_id="a", name="Ada", assigned_at=at("2026-06-01T00:00:00+00:00")
        )
    )
    people = [
        Person(user_id, f"{user_id}@x", user_id, frozenset({"sales_rep"}), None, True)
        for user_id in ("a", "b", "c")
    ]
    preferences = {
        "a": Preferences(language=Language.EN),
        "b": Preferences(channels={Kind.LEAD_ASSIGNED: []}),
        "c": Preferences(channels={Kind.LEAD_ASSIGNED: ["email"]}),
    }

    items = items_for(alert, "event-1", people, preferences, at("2026-06-01T01:00:00+00:00"))

    assert [(item.recipient, item.console) for item in items] == [("a", True), ("c", False)]
    assert items[0].title == "New lead: Ada"
    assert items[1].title == "新线索：Ada"  # noqa: RUF001
    assert items[1].mail.state is MailState.PENDING
    assert {item.event_id for item in items} == {"event-1"}
