"""The live stream of your new notifications, as Server-Sent Events.

Each item is ``id: <sequence>``, ``event: notification``, ``data: <Notification JSON>``.
Send ``Last-Event-ID: n`` to first receive your items numbered above ``n`` (those a
dropped connection missed), then the new ones as they come. A ``: keep-alive`` comment
comes when nothing else has for a while; the stream ends after a while
(``CRM_STREAM_MAX_SECONDS``), or between two items when the replica begins to shut down
(:func:`crm_chassis.shutdown.stopping`), and the client reconnects with ``Last-Event-ID``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from crm_chassis.errors import FieldError, InvalidInput
from crm_chassis.shutdown import stopping
from notifications.api.deps import ComponentsDep, Me
from notifications.api.models import NotificationOut
from notifications.domain.notifications import Notification
from notifications.operations.live import Signal, follow

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

EVENT_STREAM = "text/event-stream"
# How long a client waits before reconnecting after the stream ended or broke.
RETRY_MILLISECONDS = 1000
_MAX_EVENT_ID = 10**15


def frame(item: Notification) -> str:
    data = NotificationOut.of(item).model_dump_json()
    return f"id: {item.sequence}\nevent: notification\ndata: {data}\n\n"


def last_event_id(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isdigit() or int(text) > _MAX_EVENT_ID:
        raise InvalidInput(
            "Last-Event-ID must be the id of an event this stream sent.",
            errors=[FieldError(field="header.last-event-id", reason="must be a whole number >= 0")],
        )
    return int(text)


_STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {EVENT_STREAM: {"schema": {"type": "string"}}},
        "description": "Server-Sent Events; each data line is a Notification",
    }
}


@router.get("/stream", response_class=StreamingResponse, responses=_STREAM_RESPONSES)
async def stream(
    request: Request,
    parts: ComponentsDep,
    me: Me,
    last_event: Annotated[
        str | None,
        Header(alias="Last-Event-ID", description="the id of the last event you received"),
    ] = None,
) -> StreamingResponse:
    """Your new notifications as they arrive (Server-Sent Events)."""
    after = last_event_id(last_event)
    settings = parts.settings

    async def events() -> AsyncIterator[str]:
        async for item in follow(
            parts.live,
            parts.items,
            me.subject,
            after,
            keep_alive_seconds=settings.stream_keep_alive_seconds,
            max_seconds=settings.stream_max_seconds,
            stopping=stopping(request.app),
        ):
            if item is Signal.CONNECTED:
                # First line: the client knows it is connected from here on.
                yield f"retry: {RETRY_MILLISECONDS}\n\n"
            elif item is Signal.KEEP_ALIVE:
                yield ": keep-alive\n\n"
            else:
                yield frame(item)

    return StreamingResponse(
        events(),
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"},
    )
