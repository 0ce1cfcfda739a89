# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation)
"""Mail to the people of the CRM: one alert per mail, or the daily digest.

An item's mail is its title and body in the language the item was made in, with the
console link of its record. The digest comes once a day at the person's chosen time
(``digest.at`` in their time zone) and lists the items of the day before it (since the
same time the day before) that are still unread; a day without any sends nothing.
Quiet hours hold every mail, urgent kinds too: an SLA breach at 3 a.m. shows in the
console at once and is mailed when the quiet hours end (a person who wants such mail
at night sets no quiet hours).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from notifications.domain.alerts import Language
from notifications.domain.notifications import Notification
from notifications.domain.preferences import Preferences, clock_time


@dataclass(frozen=True)
class MailText:
    subject: str
    body: str


_FOOTER = {
    Language.ZH_CN: "在控制台查看：{link}\n\n{settings}",
    Language.EN: "Open in the console: {link}\n\n{settings}",
}
_SETTINGS = {
    Language.ZH_CN: "您可以在控制台的用户菜单 → 通知设置中更改通知方式。",
    Language.EN: "Change what you receive in the console: user menu → Notification settings.",
}
_DIGEST_SUBJECT = {
    Language.ZH_CN: "每日摘要（{day}）：{count} 条未读通知",
    Language.EN: "Your daily digest ({day}): {count} unread notification(s)",
}
_DIGEST_INTRO = {
    Language.ZH_CN: "过去一天里您有 {count} 条未读通知：",
    Language.EN: "You have {count} unread notification(s) from the past day:",
}
_DIGEST_FOOTER = {
    Language.ZH_CN: "打开控制台：{console}\n\n{settings}",
    Language.EN: "Open the console: {console}\n\n{settings}",
}
_URGENT_MARK = {Language.ZH_CN: "【紧急】", Language.EN: "[Urgent] "}


def language_of(item: Notification) -> Language:
    try:
        return Language(item.language)
    except ValueError:
        return Language.ZH_CN


def _link(console_url: str, path: str) -> str:
    return console_url.rstrip("/") + path


def item_mail(item: Notification, console_url: str) -> MailText:
    """The mail of one item."""
    language = language_of(item)
    footer = _FOOTER[language].format(
        link=_link(console_url, item.record.path), settings=_SETTINGS[language]
    )
    mark = _URGENT_MARK[language] if item.urgent else ""
    return MailText(f"{mark}{item.title}", f"{item.body}\n\n{footer}\n")


@dataclass(frozen=True)
class DigestSlot:
    """One day's digest of one person: the items created in ``[since, until)``, sent at
    ``until``."""

    day: date
    since: datetime
    until: datetime


def digest_slot(preferences: Preferences, now: datetime) -> DigestSlot | None:
    """The person's latest digest moment at or before ``now``, or None when they have no
    digest."""
    if not preferences.digest.enabled:
        return None
    zone = preferences.zone
    at = clock_time(preferences.digest.at)
    day = now.astimezone(zone).date()
    until = datetime.combine(day, at, tzinfo=zone)
    if until > now:
        day -= timedelta(days=1)
        until = datetime.combine(day, at, tzinfo=zone)
    since = datetime.combine(day - timedelta(days=1), at, tzinfo=zone)
    return DigestSlot(day, since.astimezone(UTC), until.astimezone(UTC))


def digest_mail(
    items: Sequence[Notification], preferences: Preferences, day: date, console_url: str
) -> MailText:
    """The digest listing ``items``, newest first, in the person's language and zone."""
    language = preferences.language
    zone = preferences.zone
    lines = [_DIGEST_INTRO[language].format(count=len(items)), ""]
    for item in sorted(items, key=lambda i: i.created_at, reverse=True):
        mark = _URGENT_MARK[language] if item.urgent else ""
        lines.append(f"- {item.created_at.astimezone(zone):%H:%M} {mark}{item.title}")
        lines.append(f"  {item.body}")
        lines.append(f"  {_link(console_url, item.record.path)}")
    lines.append("")
    lines.append(_DIGEST_FOOTER[language].format(console=console_url, settings=_SETTINGS[language]))
    subject = _DIGEST_SUBJECT[language].format(day=day.isoformat(), count=len(items))
    return MailText(subject, "\n".join(lines) + "\n")
