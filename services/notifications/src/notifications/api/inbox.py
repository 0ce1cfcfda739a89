"""The inbox: a person's notifications, unread first; marking them read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from crm_chassis.pagination import Page, PageDep
from notifications.api.deps import ComponentsDep, Me
from notifications.api.models import Marked, NotificationOut, UnreadCount
from notifications.operations import inbox as use

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

NotificationId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=Page[NotificationOut])
async def list_notifications(
    parts: ComponentsDep,
    me: Me,
    page: PageDep,
    unread: Annotated[bool | None, Query(description="only unread (true) or read (false)")] = None,
) -> Page[NotificationOut]:
    """Your notifications: unread first, then newest first."""
    found = await use.inbox(parts, me.subject, unread=unread, offset=page.offset, limit=page.limit)
    return Page(
        items=[NotificationOut.of(item) for item in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/unread-count", response_model=UnreadCount)
async def count_unread(parts: ComponentsDep, me: Me) -> UnreadCount:
    """How many of your notifications are unread."""
    return UnreadCount(unread=await use.unread_count(parts, me.subject))


@router.post("/read-all", response_model=Marked)
async def read_all(parts: ComponentsDep, me: Me) -> Marked:
    """Mark all your notifications read; how many were unread."""
    return Marked(marked=await use.mark_all_read(parts, me.subject))


@router.post(
    "/{notification_id}/read",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def read_one(parts: ComponentsDep, me: Me, notification_id: NotificationId) -> Response:
    """Mark one of your notifications read (again: no change). Someone else's: 404."""
    await use.mark_read(parts, me.subject, notification_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
