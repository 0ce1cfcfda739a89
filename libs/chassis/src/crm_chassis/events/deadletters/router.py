"""HTTP routes over the dead-letter queue, for operators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from aio_pika.abc import AbstractConnection
from fastapi import APIRouter, HTTPException, Query

from crm_chassis.events.deadletters.queue import (
    MAX_BATCH,
    DeadLetter,
    DiscardRequest,
    DiscardResult,
    ReplayRequest,
    ReplayResult,
    discard_dead_letters,
    list_dead_letters,
    replay_dead_letters,
)


def dead_letters_router(
    connection: Callable[[], AbstractConnection | None], service: str
) -> APIRouter:
    """``GET /admin/dead-letters``, ``POST /admin/dead-letters/replay`` and
    ``POST /admin/dead-letters/discard``.

    Carries no authorisation itself: include it with the admin permission dependency.
    """
    router = APIRouter(prefix="/admin/dead-letters", tags=["operations"])

    def connected() -> AbstractConnection:
        current = connection()
        if current is None or current.is_closed:
            raise HTTPException(status_code=503, detail="the message broker is not connected")
        return current

    @router.get("")
    async def get_dead_letters(
        limit: Annotated[int, Query(ge=1, le=MAX_BATCH)] = 100,
    ) -> list[DeadLetter]:
        return await list_dead_letters(connected(), service, limit=limit)

    @router.post("/replay")
    async def replay(request: ReplayRequest | None = None) -> ReplayResult:
        message_id = request.message_id if request else None
        replayed = await replay_dead_letters(connected(), service, message_id=message_id)
        if message_id is not None and replayed == 0:
            raise HTTPException(status_code=404, detail=f"no dead letter with id {message_id}")
        return ReplayResult(replayed=replayed)

    @router.post("/discard")
    async def discard(request: DiscardRequest) -> DiscardResult:
        discarded = await discard_dead_letters(connected(), service, message_id=request.message_id)
        if discarded == 0:
            raise HTTPException(
                status_code=404, detail=f"no dead letter with id {request.message_id}"
            )
        return DiscardResult(discarded=discarded)

    return router
