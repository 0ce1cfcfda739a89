"""Calls of one Lua script made in the same event-loop turn, sent to Redis together.

Every request the gateway admits runs the admission script (deny-list and rate limit).
With one round trip per request, a burst (every console reconnecting its notification
stream at once, after a gateway replica went away) put hundreds of commands in the queue
for the pool's connections, in an event loop busy with the burst itself: their waits for a
connection, and the connections opened for them, ran out their short timeouts, and the
requests got 503 (a connection that timed out even made the guard fail every request
closed for a moment). Calls that arrive together now share one pipelined round trip on one
connection: a burst costs a few round trips, and the pool is not queued for.

Failing closed is unchanged: when the round trip fails, each call of the batch raises
:class:`crm_chassis.redis_guard.RedisUnavailable`, as a call of its own would have.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from crm_chassis.redis_guard import RedisGuard, RedisUnavailable

#: Calls sent in one pipeline at most; a larger burst is sent as several at once.
MAX_BATCH = 256


@dataclass(frozen=True)
class _Call:
    keys: Sequence[str]
    args: Sequence[str | int]
    result: asyncio.Future[Any]


class ScriptBatches:
    """Runs ``script`` through ``guard``, the calls of one event-loop turn in one pipeline."""

    def __init__(self, guard: RedisGuard, script: str, *, max_batch: int = MAX_BATCH) -> None:
        self._guard = guard
        self._script = script
        self._sha = hashlib.sha1(script.encode(), usedforsecurity=False).hexdigest()
        self._max_batch = max_batch
        self._waiting: list[_Call] = []
        self._sending: set[asyncio.Task[None]] = set()  # referenced until they finish

    async def run(self, keys: Sequence[str], args: Sequence[str | int]) -> Any:
        """The script's result for ``keys`` and ``args``; raises ``RedisUnavailable`` when
        Redis did not answer (or is known to be down)."""
        loop = asyncio.get_running_loop()
        call = _Call(keys, args, loop.create_future())
        if not self._waiting:
            # After the callbacks already due in this turn: the requests that arrived
            # with this one reach here before the batch leaves.
            loop.call_soon(self._send_waiting)
        self._waiting.append(call)
        return await call.result

    def _send_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for start in range(0, len(waiting), self._max_batch):
            task = asyncio.ensure_future(self._send(waiting[start : start + self._max_batch]))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, batch: list[_Call]) -> None:
        try:
            results = await self._guard.require(lambda client: self._execute(client, batch))
        except RedisUnavailable as unavailable:
            for call in batch:
                if not call.result.done():  # a caller that went away cancelled its own
                    call.result.set_exception(
                        RedisUnavailable(unavailable.detail, headers=dict(unavailable.headers))
                    )
            return
        except Exception as error:  # not Redis' doing: each caller fails with it
            for call in batch:
                if not call.result.done():
                    call.result.set_exception(error)
            return
        for call, result in zip(batch, results, strict=True):
            if not call.result.done():
                call.result.set_result(result)

    async def _execute(self, client: Redis, batch: list[_Call]) -> list[Any]:
        results = await self._pipeline(client, batch)
        unknown = [n for n, result in enumerate(results) if isinstance(result, NoScriptError)]
        if unknown:  # Redis restarted or its scripts were flushed: load it, run those again
            await client.script_load(self._script)
            again = await self._pipeline(client, [batch[n] for n in unknown])
            for n, result in zip(unknown, again, strict=True):
                results[n] = result
        for result in results:
            if isinstance(result, Exception):
                raise result  # the guard's to judge: the batch fails closed
        return results

    async def _pipeline(self, client: Redis, calls: list[_Call]) -> list[Any]:
        async with client.pipeline(transaction=False) as pipe:
            for call in calls:
                pipe.evalsha(self._sha, len(call.keys), *call.keys, *call.args)
            results: list[Any] = await pipe.execute(raise_on_error=False)
        return results
