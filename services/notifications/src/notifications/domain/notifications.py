"""One inbox item: an alert as one person receives it.

An item is keyed by the event and its recipient (one event gives each person one item,
however often it is delivered and by however many replicas), and numbered per person
by ``sequence`` (1, 2, 3, ... in the order the items became visible, the live stream's
event id). Title and body are in the recipient's language when it was created.
``console`` says whether it shows in the inbox (a kind wanted only by e-mail still
has an item, for its mail); ``mail`` says where its mail stands.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from notifications.domain.alerts import Alert, Kind, Record, render
from notifications.domain.people import Person
from notifications.domain.preferences import Channel, MailPlan, Preferences, mail_plan


@dataclass(frozen=True)
class Notification:
    notification_id: str
    event_id: str
    recipient: str
    kind: Kind
    title: str
    body: str
    urgent: bool
    record: Record
    console: bool
    created_at: datetime
    mail: MailPlan
    language: str
    sequence: int = 0
    read_at: datetime | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def items_for(
    alert: Alert,
    event_id: str,
    people: Iterable[Person],
    preferences: dict[str, Preferences],
    now: datetime,
) -> list[Notification]:
    """The items ``alert`` gives ``people``: none to a person who wants no channel for
    its kind; texts in each person's language and time zone, mail as they want it."""
    made = []
    for person in people:
        wanted = preferences[person.user_id]
        channels = wanted.channels_of(alert.kind)
        if not channels:
            continue
        title, body = render(alert, wanted.language, wanted.zone)
        made.append(
            Notification(
                notification_id=uuid.uuid4().hex,
                event_id=event_id,
                recipient=person.user_id,
                kind=alert.kind,
                title=title,
                body=body,
                urgent=alert.urgent,
                record=alert.record,
                console=Channel.CONSOLE in channels,
                created_at=now,
                mail=mail_plan(wanted, alert.kind, now),
                language=wanted.language.value,
            )
        )
    return made
