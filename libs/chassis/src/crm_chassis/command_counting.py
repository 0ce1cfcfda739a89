"""Test support: which MongoDB commands one HTTP request sent.

A test that a list costs a fixed number of database round trips whatever its length
calls :func:`count_database_commands` on the app before serving it; each response then
names, in :data:`DATABASE_COMMANDS_HEADER`, the commands its request sent (``find:orders
aggregate:orders find:customers``). Only the request's own commands count: the outbox
relay, event consumers and jobs run in tasks of their own, outside any request, so a
poll of the relay during the request does not make the count flaky.

PyMongo takes command listeners when a client is created, and the app creates its
client at start-up, so the listener is registered process-wide (once); it notes nothing
outside a counted request. Nothing here is imported by production code.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import Final

import httpx
from fastapi import FastAPI
from pymongo import monitoring
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DATABASE_COMMANDS_HEADER: Final = "x-test-database-commands"

_commands: ContextVar[list[str] | None] = ContextVar("crm_test_request_commands", default=None)


class _RequestCommands(monitoring.CommandListener):
    """Notes each command started on behalf of a counted request (the listener runs in
    the task that sends the command, so it sees that request's context)."""

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        noted = _commands.get()
        if noted is not None:
            target = event.command.get(event.command_name)
            named = isinstance(target, str)
            noted.append(f"{event.command_name}:{target}" if named else event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@cache
def _register_listener() -> None:
    monitoring.register(_RequestCommands())


class _CountCommands:
    """ASGI middleware: notes the commands of each HTTP request and names them in a
    header of its response (sent once the route has done its reading and writing)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        noted: list[str] = []

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(DATABASE_COMMANDS_HEADER, " ".join(noted))
            await send(message)

        token = _commands.set(noted)
        try:
            await self.app(scope, receive, send_counted)
        finally:
            _commands.reset(token)


def count_database_commands(app: FastAPI) -> None:
    """Make every response of ``app`` name the database commands its request sent, in
    :data:`DATABASE_COMMANDS_HEADER`. Call before the app starts."""
    _register_listener()
    app.add_middleware(_CountCommands)


def commands_of(response: httpx.Response) -> list[str]:
    """The commands a response of an app given to :func:`count_database_commands` names."""
    if DATABASE_COMMANDS_HEADER not in response.headers:
        raise AssertionError("the response does not count commands: count_database_commands?")
    return response.headers[DATABASE_COMMANDS_HEADER].split()
