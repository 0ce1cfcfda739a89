"""Argon2 work, bounded: a few password checks at a time, in threads of their own.

Each check holds its whole memory cost (64 MiB by default) while it runs. In the
default thread pool, forty parallel bad logins took the gateway from 133 MB to over
500 MB (its pod limit is 512 Mi). Here at most ``slots`` checks run at once, on an
executor of that size; a check that cannot start within ``wait_seconds`` is refused
with 503 and ``Retry-After`` rather than queued without end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from crm_chassis.errors import ServiceUnavailable
from gateway.domain.passwords import PasswordHashing

T = TypeVar("T")


class HashingGate:
    def __init__(self, hashing: PasswordHashing, *, slots: int, wait_seconds: float) -> None:
        self.hashing = hashing
        self.slots = slots
        self._free = asyncio.Semaphore(slots)
        self._executor = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="argon2")
        self._wait_seconds = wait_seconds

    async def _run(self, work: Callable[..., T], *args: object) -> T:
        try:
            async with asyncio.timeout(self._wait_seconds):
                await self._free.acquire()
        except TimeoutError:
            raise ServiceUnavailable(
                "Too many sign-ins at once; try again shortly.",
                headers={"Retry-After": "1"},
            ) from None
        try:
            # The executor has as many threads as there are slots, so even a caller that
            # goes away mid-check (releasing its slot) cannot raise the number running.
            return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)
        finally:
            self._free.release()

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Constant work whether or not there is a hash (see ``PasswordHashing.verify``)."""
        return await self._run(self.hashing.verify, password_hash, password)

    async def hash(self, password: str) -> str:
        return await self._run(self.hashing.hash, password)

    async def warm(self) -> None:
        """Make the stand-in hash that unknown accounts are checked against now, so the
        first sign-in with an unknown e-mail costs no more than any other."""
        await self._run(self.hashing.verify, None, "")

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
