"""Forwarding an event stream (``text/event-stream``): each event passed on as it comes.

A stream is quiet between events, so it is not held to the upstream read timeout (only to
``stream_idle_seconds``, which the services' keep-alive comments reset), and nothing is
buffered: every chunk the service writes is sent to the caller at once. A stream lasts
as long as its caller may see it: it ends when the service ends it, when the caller goes
away (the service's connection is closed then, not left streaming to nobody), when the
caller's token expires, and when the token is revoked (the deny-list is checked again
every ``stream_recheck_seconds``). A client reconnects with a fresh token and
``Last-Event-ID``, which the gateway passes through like any header.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import aiohttp
from starlette.types import Receive, Send

from crm_chassis.redis_guard import RedisUnavailable
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


def wants_event_stream(method: str, accept: str | None) -> bool:
    """A GET whose caller asks for an event stream (as EventSource and its kin do)."""
    return method in ("GET", "HEAD") and accept is not None and EVENT_STREAM in accept.lower()


def is_event_stream(response: aiohttp.ClientResponse) -> bool:
    return response.content_type == EVENT_STREAM


async def relay_event_stream(
    response: aiohttp.ClientResponse,
    receive: Receive,
    send: Send,
    *,
    token: VerifiedToken | None,
    revoked: Revoked,
    recheck_seconds: float,
) -> StreamEnd:
    """Send the body of ``response`` on chunk by chunk until the stream ends (the caller's
    ``http.response.start`` has been sent); returns why it ended. The final empty body
    message is the caller's to send."""

    async def copy() -> StreamEnd:
        try:
            async for chunk in response.content.iter_any():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
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

    watchers: list[Coroutine[Any, Any, StreamEnd]] = [copy(), caller_gone()]
    if token is not None:
        watchers.append(token_lapses(token))
    tasks = [asyncio.ensure_future(watcher) for watcher in watchers]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return next(iter(done)).result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
