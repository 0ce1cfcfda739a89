"""A person's inbox: their items, unread first; marking them read."""

from __future__ import annotations

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RecordNotFound
from crm_chassis.pagination import Page
from notifications.components import Components
from notifications.domain.notifications import Notification


async def inbox(
    parts: Components, user_id: str, *, unread: bool | None, offset: int, limit: int
) -> Page[Notification]:
    return await parts.items.inbox(user_id, unread=unread, offset=offset, limit=limit)


async def unread_count(parts: Components, user_id: str) -> int:
    return await parts.items.unread_count(user_id)


async def mark_read(parts: Components, user_id: str, notification_id: str) -> None:
    """Mark one of the person's items read; someone else's or unknown is not found."""
    if not await parts.items.mark_read(user_id, notification_id, utc_now()):
        raise RecordNotFound("You have no such notification.")


async def mark_all_read(parts: Components, user_id: str) -> int:
    return await parts.items.mark_all_read(user_id, utc_now())
