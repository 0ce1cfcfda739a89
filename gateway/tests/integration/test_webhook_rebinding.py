"""A webhook goes to the address that passed the SSRF check, even when the name answers
differently the next time it is looked up (DNS rebinding)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from gateway.domain.targets import TargetPolicy
from gateway.webhooks.delivery import post_to_checked_address

pytestmark = pytest.mark.integration

REBINDING_NAME = "hooks.rebind.example"
CHECKED, INTERNAL = "127.0.0.1", "127.0.0.2"


class Listener:
    """A bare HTTP listener that records the Host header of every request and answers 204."""

    def __init__(self) -> None:
        self.hosts: list[str] = []

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:] if ": " in line)
        length = int(headers.get("content-length", headers.get("Content-Length", "0")))
        await reader.readexactly(length)
        self.hosts.append(headers.get("host", headers.get("Host", "")))
        writer.write(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    @asynccontextmanager
    async def on(self, address: str, port: int) -> AsyncIterator[int]:
        server = await asyncio.start_server(self._answer, address, port)
        try:
            yield server.sockets[0].getsockname()[1]
        finally:
            server.close()
            await server.wait_closed()


def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name answers the allowed address first and the internal one on every later
    lookup, as a rebinding attacker's DNS server would (TTL 0)."""
    lookups: list[str] = []
    real = socket.getaddrinfo

    def answer(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode("ascii") if isinstance(host, bytes) else host  # anyio passes bytes
        if name != REBINDING_NAME:
            return real(host, port, *args, **kwargs)
        address = CHECKED if not lookups else INTERNAL
        lookups.append(address)
        return real(address, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    return lookups


async def test_webhook_connects_to_the_checked_address_not_a_rebound_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked, internal = Listener(), Listener()
    lookups = rebinding_dns(monkeypatch)
    policy = TargetPolicy([f"{CHECKED}/32"])  # only the checked address may be called
    async with (
        checked.on(CHECKED, 0) as port,
        internal.on(INTERNAL, port),
        httpx.AsyncClient(timeout=5, trust_env=False) as client,
    ):
        response = await post_to_checked_address(
            client,
            policy,
            f"http://{REBINDING_NAME}:{port}/hooks",
            content=b"{}",
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 204
    assert internal.hosts == []
    assert checked.hosts == [f"{REBINDING_NAME}:{port}"]
    assert lookups == [CHECKED]
