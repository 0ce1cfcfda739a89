"""Delivering an alert: who receives it, by the directory; what each gets, by their
preferences; one inbox item each, inserted exactly once.

Idempotent by construction: items are keyed by (event, recipient), so a redelivered
event or a second replica handling it inserts nothing more. Mail is not sent here: an
item carries its mail state, and the mail sender acts on it later.
"""

from __future__ import annotations

import asyncio
import logging

from crm_chassis.clock import utc_now
from notifications.components import Components
from notifications.domain import people as directory
from notifications.domain.alerts import Alert
from notifications.domain.notifications import Notification, items_for
from notifications.domain.people import Person

log = logging.getLogger(__name__)


async def audience_of(parts: Components, alert: Alert) -> list[Person]:
    """The active people ``alert`` is for, by the directory as it is now."""
    found = await parts.people.by_ids(directory.named(alert.audience))
    role_holders: list[Person] = []
    for query in directory.role_queries(alert.audience, found):
        role_holders.extend(await parts.people.holding(query.role, query.teams))
    return directory.recipients(alert.audience, found, role_holders)


async def deliver(parts: Components, event_id: str, alert: Alert | None) -> list[Notification]:
    """Give everyone ``alert`` is for their item; the items inserted now (none for the
    people who had theirs from an earlier delivery of the event)."""
    if alert is None:
        return []
    people = await audience_of(parts, alert)
    if not people:
        log.info("%s of event %s: nobody to tell", alert.kind, event_id)
        return []
    preferences = await parts.preferences.of_people([person.user_id for person in people])
    wanted = items_for(alert, event_id, people, preferences, utc_now())
    gate = asyncio.Semaphore(parts.settings.delivery_concurrency)

    async def insert(item: Notification) -> Notification | None:
        async with gate:
            return await parts.items.insert(item)

    inserted = [item for item in await asyncio.gather(*(insert(item) for item in wanted)) if item]
    if inserted:
        parts.live.wake()
    return inserted
