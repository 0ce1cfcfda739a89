"""The whole platform served from a thread of its own, so that schemathesis (synchronous,
``requests``-based) can call it from the test thread without blocking its event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest

from crm_e2e.harness import Platform, running_platform

pytestmark = pytest.mark.e2e


class ThreadedPlatform:
    """``running_platform`` on a private event loop in a daemon thread."""

    def __init__(self, **servers: Any) -> None:
        self._servers = servers
        self._loop = asyncio.new_event_loop()
        self._ready: Future[Platform] = Future()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> Platform:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop)
        return self._ready.result(timeout=180)

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._done.result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)

    async def _serve(self) -> None:
        self._done: Future[None] = Future()
        self._stop = asyncio.Event()
        try:
            async with running_platform(**self._servers) as platform:
                self._ready.set_result(platform)
                await self._stop.wait()
        except BaseException as error:
            if not self._ready.done():
                self._ready.set_exception(error)
            raise
        finally:
            self._done.set_result(None)


@pytest.fixture(scope="session")
def fuzz_platform(
    mongo_url: str, amqp_url: str, redis_url: str, smtp_server: Any
) -> Iterator[Platform]:
    with ThreadedPlatform(
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        redis_url=redis_url,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
    ) as platform:
        yield platform
