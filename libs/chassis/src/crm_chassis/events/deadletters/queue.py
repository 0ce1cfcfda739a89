"""Listing and replaying the dead letters of a service's queue.

Listing takes up to ``limit`` messages from the queue without acking them and
then rejects them back (a classic queue puts them back in place), so it is
non-destructive. Replay moves messages (all of a batch of up to ``MAX_BATCH``, or
the one with a given message id) to the work queue with their attempt count
reset: each is re-published with a confirm before it is acked on the dead-letter
queue, so a failure loses nothing. Discard acks the message with a given id on the
dead-letter queue: an operator's decision that it will never be handled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Literal

import aio_pika
from aio_pika.abc import AbstractConnection, AbstractIncomingMessage
from aio_pika.exceptions import ChannelNotFoundEntity
from pydantic import BaseModel

from crm_chassis.events.headers import (
    ATTEMPT,
    DEAD_LETTERED_AT,
    ERROR,
    REASON,
    ROUTING_KEY,
    replay_headers,
)
from crm_chassis.events.topology import ServiceQueues

MAX_BATCH = 1000
_PUBLISH_TIMEOUT_SECONDS = 5.0


class DeadLetter(BaseModel):
    message_id: str | None
    type: str | None
    routing_key: str | None
    reason: str | None
    error: str | None
    attempts: int
    dead_lettered_at: datetime | None
    body: str


class ReplayRequest(BaseModel):
    message_id: str | None = None


class ReplayResult(BaseModel):
    replayed: int


class DiscardRequest(BaseModel):
    message_id: str


class DiscardResult(BaseModel):
    discarded: int


Action = Literal["list", "replay", "discard"]


def _describe(message: AbstractIncomingMessage) -> DeadLetter:
    headers = message.headers

    def text(key: str) -> str | None:
        value = headers.get(key)
        return (
            value.decode()
            if isinstance(value, bytes)
            else value
            if isinstance(value, str)
            else None
        )

    attempts = headers.get(ATTEMPT, 0)
    at = text(DEAD_LETTERED_AT)
    return DeadLetter(
        message_id=message.message_id,
        type=message.type,
        routing_key=text(ROUTING_KEY),
        reason=text(REASON),
        error=text(ERROR),
        attempts=attempts if isinstance(attempts, int) else 0,
        dead_lettered_at=datetime.fromisoformat(at) if at else None,
        body=message.body.decode(errors="replace")[:10_000],
    )


async def _take(
    connection: AbstractConnection,
    service: str,
    limit: int,
    wanted: Callable[[str | None], bool],
    action: Action,
) -> tuple[list[DeadLetter], int]:
    """Take up to ``limit`` dead letters; list, replay or discard the wanted ones (answers
    them and how many were replayed or discarded); reject the rest back."""
    queues = ServiceQueues(service)
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    try:
        try:
            queue = await channel.get_queue(queues.dead_letter, ensure=True)
        except ChannelNotFoundEntity:
            return [], 0
        taken: list[AbstractIncomingMessage] = []
        while len(taken) < limit:
            message = await queue.get(no_ack=False, fail=False)
            if message is None:
                break
            taken.append(message)
        listed, acted = [], 0
        for message in taken:
            if not wanted(message.message_id):
                await message.nack(requeue=True)
                continue
            listed.append(_describe(message))
            if action == "discard":
                await message.ack()
                acted += 1
            elif action == "replay":
                copy = aio_pika.Message(
                    message.body,
                    headers=replay_headers(message),
                    content_type=message.content_type,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    message_id=message.message_id,
                    type=message.type,
                    timestamp=message.timestamp,
                    app_id=message.app_id,
                )
                await asyncio.wait_for(
                    channel.default_exchange.publish(copy, routing_key=queues.work, mandatory=True),
                    timeout=_PUBLISH_TIMEOUT_SECONDS,
                )
                await message.ack()
                acted += 1
            else:
                await message.nack(requeue=True)
        return listed, acted
    finally:
        # Anything still unacked (after an error) goes back to the queue on close.
        await channel.close()


async def list_dead_letters(
    connection: AbstractConnection, service: str, *, limit: int = 100
) -> list[DeadLetter]:
    listed, _ = await _take(connection, service, min(limit, MAX_BATCH), lambda _: True, "list")
    return listed


async def replay_dead_letters(
    connection: AbstractConnection, service: str, *, message_id: str | None = None
) -> int:
    """Move dead letters back to the work queue (all of a batch, or one by message id)."""
    _, replayed = await _take(
        connection,
        service,
        MAX_BATCH,
        lambda candidate: message_id is None or candidate == message_id,
        "replay",
    )
    return replayed


async def discard_dead_letters(
    connection: AbstractConnection, service: str, *, message_id: str
) -> int:
    """Drop the dead letters with this message id for good; answers how many there were."""
    _, discarded = await _take(
        connection, service, MAX_BATCH, lambda candidate: candidate == message_id, "discard"
    )
    return discarded
