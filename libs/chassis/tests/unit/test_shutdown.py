"""A server that stops tells the responses that last as long as their caller listens."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from crm_chassis.shutdown import stopping
from crm_chassis.testing import serve_app


def _streaming_app() -> FastAPI:
    app = FastAPI()

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def events() -> AsyncIterator[bytes]:
            yield b"data: 1\n\n"
            await stopping(app).wait()  # else until the caller goes away

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


async def test_a_stream_that_waits_on_stopping_ends_cleanly_when_the_server_stops() -> None:
    async with httpx.AsyncClient(timeout=30.0) as client:
        async with serve_app(_streaming_app()) as url:  # its graceful shutdown waits 10 s
            response = await client.send(client.build_request("GET", f"{url}/stream"), stream=True)
            chunks = response.aiter_raw()
            first = await anext(chunks)
            stopped = time.monotonic()
        shutdown_seconds = time.monotonic() - stopped
        rest = b"".join([chunk async for chunk in chunks])  # raises if cut off mid-response
        await response.aclose()

    assert response.status_code == 200
    assert first == b"data: 1\n\n"
    assert rest == b""
    assert shutdown_seconds < 5
