"""Telling responses that last as long as their caller listens that the server is stopping.

On SIGTERM uvicorn stops accepting connections, then waits (up to
``CRM_SHUTDOWN_GRACE_SECONDS``) for every open connection to finish its response, and only
then runs the app's lifespan shutdown. A response that ends only when its caller goes away
(an event stream) never finishes by itself: the process waits out the whole grace period,
then its tasks are cancelled and the stream is cut mid-response. Such a response waits on
:func:`stopping` as well and ends itself cleanly once it is set; the caller sees the end
of the stream and reconnects (to another replica, an event stream with ``Last-Event-ID``).

:class:`GracefulServer` sets it as its shutdown begins; :func:`crm_chassis.service.run_service`
and :func:`crm_chassis.testing.serve_app` serve with it.
"""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from starlette.applications import Starlette


class Stopping:
    """Set once, when the server begins to shut down."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def begin(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    async def wait(self) -> None:
        await self._event.wait()


def stopping(app: Starlette) -> Stopping:
    """The shutdown notice of ``app`` (made on first use, kept on ``app.state``)."""
    notice: Stopping | None = getattr(app.state, "stopping", None)
    if notice is None:
        notice = Stopping()
        app.state.stopping = notice
    return notice


class GracefulServer(uvicorn.Server):
    """uvicorn's server, which sets :func:`stopping` of ``app`` as its shutdown begins,
    before it waits for the open connections to finish."""

    def __init__(self, config: uvicorn.Config, app: Starlette) -> None:
        super().__init__(config)
        self._stopping = stopping(app)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Set before the listening sockets close (there is no await in between), so a
        # stream that ends now is not followed by a new one on this server.
        self._stopping.begin()
        await super().shutdown(sockets)
