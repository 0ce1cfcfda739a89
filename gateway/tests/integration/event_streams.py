"""A caller of the gateway's event streams, and the fake notifications service's side of
them: the tests that open streams share these."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from crm_chassis.testing import auth_header, wait_until

from .upstream import EventStreams

STREAM = "/api/v1/notifications/stream"


class EventReader:
    """The blocks (events and comments) of one streamed response, as they arrive."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._chunks = response.aiter_raw()
        self._buffer = b""

    async def read_chunk(self, timeout: float = 5.0) -> bytes:
        """Whatever arrives next, as it arrives (kept for :meth:`next`)."""
        async with asyncio.timeout(timeout):
            chunk = await anext(self._chunks)
        self._buffer += chunk
        return chunk

    async def next(self, timeout: float = 5.0) -> bytes | None:
        """The next block, or None when the stream ended; fails after ``timeout``."""
        async with asyncio.timeout(timeout):
            while b"\n\n" not in self._buffer:
                try:
                    self._buffer += await anext(self._chunks)
                except StopAsyncIteration:
                    return None
        block, self._buffer = self._buffer.split(b"\n\n", 1)
        return block

    async def next_event(self, timeout: float = 5.0) -> bytes | None:
        """The next block that is not a comment (keep-alive), or None at the end."""
        async with asyncio.timeout(timeout):
            while (block := await self.next(timeout)) is not None and block.startswith(b":"):
                pass
        return block


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient, token: str, **headers: str
) -> AsyncIterator[EventReader]:
    request = client.build_request(
        "GET", STREAM, headers={**auth_header(token), "Accept": "text/event-stream", **headers}
    )
    response = await client.send(request, stream=True)
    try:
        yield EventReader(response)
    finally:
        await response.aclose()


async def connected(streams: EventStreams, count: int = 1) -> asyncio.Queue[bytes | None]:
    await wait_until(lambda: len(streams.connections) >= count, what="the service's stream")
    return streams.connections[count - 1]


def sse_event(sequence: int, data: str) -> bytes:
    return f"id: {sequence}\nevent: notification\ndata: {data}\n\n".encode()
