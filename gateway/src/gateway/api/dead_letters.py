"""``/api/v1/dead-letters``: the parked messages of every service, for administrators.

Each service, and the gateway itself, parks the events it could not handle in its
own dead-letter queue on the one broker (DESIGN.md, Events). Here an administrator
sees them in one list, replays one to its service's work queue once the cause is
fixed, or discards one that will never be handled. The queues are read with the
chassis' dead-letter tools under this deployment's queue prefix; a message is
addressed by its service and message id (every event the platform publishes has one).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from aio_pika.abc import AbstractConnection
from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel

from crm_chassis.auth import Principal, allowed
from crm_chassis.errors import FieldError, InvalidInput, NotFound, ServiceUnavailable
from crm_chassis.events import Eventing
from crm_chassis.events.deadletters import (
    DeadLetter,
    discard_dead_letters,
    list_dead_letters,
    replay_dead_letters,
)
from crm_chassis.events.deadletters.queue import ReplayResult
from crm_contracts.access import Permission
from gateway.api.deps import GatewayDep
from gateway.runtime import GatewayRuntime

router = APIRouter(prefix="/api/v1/dead-letters", tags=["dead letters"])
EventsAdmin = Annotated[Principal, allowed(Permission.EVENTS_ADMIN)]
ServiceName = Annotated[str, Path(max_length=60)]
MessageId = Annotated[str, Path(max_length=200)]


class DeadLetterOut(DeadLetter):
    service: str


class DeadLetterList(BaseModel):
    services: list[str]
    items: list[DeadLetterOut]


def _services(gateway: GatewayRuntime) -> list[str]:
    """The services behind the gateway, and the gateway (it consumes events too)."""
    return sorted({*gateway.upstreams.urls, gateway.settings.service_name})


def _broker(gateway: GatewayRuntime) -> tuple[Eventing, AbstractConnection]:
    eventing = gateway.eventing
    connection = None if eventing is None else eventing.connection
    if eventing is None or connection is None or connection.is_closed:
        raise ServiceUnavailable("The message broker is not connected; try again shortly.")
    return eventing, connection


def _known(gateway: GatewayRuntime, service: str) -> str:
    if service not in _services(gateway):
        raise NotFound(f"No service {service}.")
    return service


@router.get("")
async def list_parked(
    gateway: GatewayDep,
    principal: EventsAdmin,
    service: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many per service")] = 100,
) -> DeadLetterList:
    """The dead letters of one service, or of all, oldest first within each service."""
    services = _services(gateway)
    if service is not None and service not in services:
        raise InvalidInput(
            f"No service {service}.",
            errors=[FieldError(field="query.service", reason=f"one of {', '.join(services)}")],
        )
    eventing, connection = _broker(gateway)
    wanted = services if service is None else [service]
    found = await asyncio.gather(
        *(
            list_dead_letters(connection, eventing.queue_owner_of(name), limit=limit)
            for name in wanted
        )
    )
    items = [
        DeadLetterOut(**letter.model_dump(), service=name)
        for name, letters in zip(wanted, found, strict=True)
        for letter in letters
    ]
    return DeadLetterList(services=services, items=items)


@router.post("/{service}/{message_id}/replay")
async def replay_parked(
    service: ServiceName, message_id: MessageId, gateway: GatewayDep, principal: EventsAdmin
) -> ReplayResult:
    """Send the message back to its service's work queue, its attempts counted afresh."""
    eventing, connection = _broker(gateway)
    owner = eventing.queue_owner_of(_known(gateway, service))
    replayed = await replay_dead_letters(connection, owner, message_id=message_id)
    if replayed == 0:
        raise NotFound(f"No dead letter {message_id} of {service}.")
    return ReplayResult(replayed=replayed)


@router.delete("/{service}/{message_id}", status_code=status.HTTP_204_NO_CONTENT)
async def discard_parked(
    service: ServiceName, message_id: MessageId, gateway: GatewayDep, principal: EventsAdmin
) -> Response:
    """Drop the message for good: it will never be handled."""
    eventing, connection = _broker(gateway)
    owner = eventing.queue_owner_of(_known(gateway, service))
    if await discard_dead_letters(connection, owner, message_id=message_id) == 0:
        raise NotFound(f"No dead letter {message_id} of {service}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
