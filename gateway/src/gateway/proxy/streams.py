"""Forwarding an event stream (``text/event-stream``): each event passed on as it comes.

A stream is quiet between events, so it is not held to the upstream read timeout (only to
``stream_idle_seconds``, which the services' keep-alive comments reset), and nothing is
buffered: every chunk the service writes is sent to the caller at once. A stream lasts
as long as its caller may see it: it ends when the service ends it, when the caller goes
away (the service's connection is closed then, not left streaming to nobody), when the
caller's token expires, when the token is revoked (the deny-list is checked again
every ``stream_recheck_seconds``), and when the gateway begins to shut down
(:mod:`crm_chassis.shutdown`: uvicorn would otherwise wait for it until the grace period
runs out). A client reconnects with a fresh token and ``Last-Event-ID``, which the gateway
passes through like any header; so that it misses nothing, the gateway ends a stream
between two events, not inside one (see :func:`relay_event_stream`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import aiohttp
from starlette.types import Receive, Send

from crm_chassis.redis_guard import RedisUnavailable
from crm_chassis.shutdown import Stopping
from gateway.domain.routing import EVENT_STREAM
from gateway.domain.tokens import VerifiedToken

log = logging.getLogger(__name__)

#: Tells a buffering reverse proxy in front of the gateway (nginx) to pass it on as well.
STREAM_HEADERS = ((b"x-accel-buffering", b"no"),)

Revoked = Callable[[VerifiedToken], Awaitable[bool]]


class StreamEnd(StrEnum):
    """Why a forwarded stream ended."""

    SERVICE = "service"  # the service ended it (or broke off, or fell silent)
    CALLER = "caller"  # the caller disconnected
    EXPIRED = "token_expired"
    REVOKED = "token_revoked"
    STOPPING = "gateway_stopping"  # the gateway is shutting down


def wants_event_stream(method: str, accept: str | None) -> bool:
    """A GET whose caller asks for an event stream (as EventSource and its kin do)."""
    return method in ("GET", "HEAD") and accept is not None and EVENT_STREAM in accept.lower()


def is_event_stream(response: aiohttp.ClientResponse) -> bool:
    return response.content_type == EVENT_STREAM


class EventEnds:
    """Where the events end in a stream read chunk by chunk: an event ends with a blank
    line (``\\n\\n``, ``\\r\\n\\r\\n`` or ``\\r\\r``), which may be split between two chunks."""

    _TAIL = 3  # bytes of the previous chunk kept to find an end split between two

    def __init__(self) -> None:
        self._tail = b""
        self.at_end = True  # what was passed on so far ends with a whole event (or is empty)

    def first_end(self, chunk: bytes) -> int | None:
        """The offset in ``chunk`` just past the first event that ends in it, if any."""
        seen = self._tail + chunk
        for match in _EVENT_END.finditer(seen):
            if match.end() > len(self._tail):
                return match.end() - len(self._tail)
        return None

    def passed(self, chunk: bytes) -> None:
        """``chunk`` was passed on to the caller."""
        if not chunk:
            return
        seen = self._tail + chunk
        self.at_end = seen.endswith((b"\n\n", b"\r\n\r\n", b"\r\r"))
        self._tail = seen[-self._TAIL :]


_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")
#: How long an ending stream may take to finish the event it is in the middle of.
FINISH_EVENT_SECONDS = 2.0


async def relay_event_stream(
    response: aiohttp.ClientResponse,
    receive: Receive,
    send: Send,
    *,
    token: VerifiedToken | None,
    revoked: Revoked,
    recheck_seconds: float,
    stopping: Stopping,
) -> StreamEnd:
    """Send the body of ``response`` on chunk by chunk until the stream ends (the caller's
    ``http.response.start`` has been sent); returns why it ended. The final empty body
    message is the caller's to send.

    A stream the gateway ends while the caller may reconnect (its token expired, the
    gateway stops) ends between two events: a client may take an event's id as soon as it
    reads it (the console's fetch-event-source does), so a stream cut inside an event would
    resume after that event, which it never got whole. A revoked token's stream ends at
    once."""
    ends = EventEnds()
    finish_event = False  # end at the next end of an event

    async def body(chunk: bytes) -> None:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def copy() -> StreamEnd:
        try:
            async for chunk in response.content.iter_any():
                cut = ends.first_end(chunk) if finish_event else None
                if cut is not None:
                    await body(chunk[:cut])
                    return StreamEnd.SERVICE  # the caller's reason is the watcher's
                await body(chunk)
                ends.passed(chunk)
        except (TimeoutError, aiohttp.ClientError) as error:
            log.info("event stream from %s ended: %r", response.url.host, error)
        return StreamEnd.SERVICE

    async def caller_gone() -> StreamEnd:
        while (await receive())["type"] != "http.disconnect":
            pass
        return StreamEnd.CALLER

    async def token_lapses(token: VerifiedToken) -> StreamEnd:
        while True:
            left = (token.expires_at - datetime.now(UTC)).total_seconds()
            if left <= 0:
                return StreamEnd.EXPIRED
            await asyncio.sleep(min(recheck_seconds, left))
            try:
                if await revoked(token):
                    return StreamEnd.REVOKED
            except RedisUnavailable:
                # Fail closed, as a new request would: the client reconnects and is
                # answered 503 until the deny-list can be read again.
                return StreamEnd.REVOKED

    async def gateway_stops() -> StreamEnd:
        await stopping.wait()
        return StreamEnd.STOPPING

    copying = asyncio.ensure_future(copy())
    watchers: list[Coroutine[Any, Any, StreamEnd]] = [caller_gone(), gateway_stops()]
    if token is not None:
        watchers.append(token_lapses(token))
    tasks = [copying, *(asyncio.ensure_future(watcher) for watcher in watchers)]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if copying in done:
            return copying.result()
        reason = next(iter(done)).result()
        if reason in (StreamEnd.EXPIRED, StreamEnd.STOPPING) and not ends.at_end:
            finish_event = True
            await asyncio.wait([copying], timeout=FINISH_EVENT_SECONDS)
        return reason
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
