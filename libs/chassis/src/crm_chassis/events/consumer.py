"""The consumer: the service's work queue, its retry path and its dead-letter queue.

Handlers are looked up by ``event.type`` in the service's handler table. Delivery
is at-least-once, so processed event ids are remembered in ``processed_events``
(unique per consumer, expired by a TTL index) and a redelivered event is skipped.
That check cannot be atomic with the handler's own writes (no multi-document
transactions), so an event whose handler finished but whose id was not yet
recorded can run again after a crash: **handlers must be idempotent themselves**
(upserts keyed by the event id, or ``$max`` on a version). Two deliveries of one
event to the same replica are handled one after the other, so the second is
skipped; across replicas the check is best effort. A handler that only writes this
service's own data, keyed so that a second run changes nothing (a projection), is
marked with :func:`idempotent` and runs without the ledger, saving its two database
operations per event; handlers with effects outside (mail, calls) keep the ledger.

A failed message is never acked before it has been re-published, with a confirm,
to the next retry queue (``x-crm-attempt`` header counts the attempts) or, after
the last delay, to the dead-letter queue with the error in its headers. A message
that is not a CloudEvent goes straight to the dead-letter queue.

Once a message is parked in the dead-letter queue (and acked), the consumer
announces it on the exchange as ``crm.platform.dead_letter.parked.v1`` (confirmed
publish), so administrators are alerted. The notice is a consequence of the parking,
never a condition of it: if it cannot be published the parked message stays parked
exactly once, and the failure is logged and counted
(``crm_dead_letter_notices_failed_total``). A parked notice that is itself parked is
not announced again, so a consumer of notices that keeps failing cannot feed itself.

Up to ``prefetch_count`` messages are handled concurrently, and retries overtake
later events, so handlers must not assume order either (compare versions).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import aio_pika
import aiormq
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue, AbstractRobustChannel
from opentelemetry.trace import StatusCode
from pydantic import ValidationError
from pymongo.asynchronous.collection import AsyncCollection

from crm_chassis.events import metrics
from crm_chassis.events.bus import Bus
from crm_chassis.events.headers import (
    ATTEMPT,
    DEAD_LETTERED_AT,
    ERROR,
    dead_letter_headers,
    retry_headers,
)
from crm_chassis.events.settings import EventingSettings
from crm_chassis.events.topology import ServiceQueues
from crm_chassis.events.tracing import receive_span
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.platform import DeadLetterParked
from crm_contracts.events.registry import to_cloud_event

log = logging.getLogger(__name__)

PROCESSED_EVENTS_COLLECTION = "processed_events"
Document = dict[str, Any]
EventHandler = Callable[[CloudEvent], Awaitable[None]]


@dataclass(frozen=True)
class IdempotentHandler:
    """A handler that runs without the processed-events ledger (see :func:`idempotent`)."""

    handler: EventHandler

    async def __call__(self, event: CloudEvent) -> None:
        await self.handler(event)


def idempotent(handler: EventHandler) -> IdempotentHandler:
    """Mark ``handler`` as safe to run twice with no effect outside this service's own
    keyed writes, so its events are not recorded in the ledger."""
    return IdempotentHandler(handler)


class Consumer:
    def __init__(
        self,
        settings: EventingSettings,
        bus: Bus,
        processed: AsyncCollection[Document],
        *,
        service: str,
        handlers: Mapping[str, EventHandler],
        bindings: Sequence[str],
        service_name: str | None = None,
    ) -> None:
        """``service`` names the queues (the deployment's queue owner); ``service_name``
        is the service as people know it, named in dead-letter notices (default:
        ``service``)."""
        self._settings = settings
        self._bus = bus
        self._processed = processed
        self._service = service
        self._service_name = service_name or service
        self._handlers = handlers
        self._bindings = bindings
        self._queues = ServiceQueues(service)
        self._channel: AbstractRobustChannel | None = None
        # Strong references: the robust channel restores these only while they live.
        self._declared: list[AbstractQueue] = []
        self._work_queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._in_flight: set[asyncio.Task[Any]] = set()
        # Per event id being handled: its lock and how many deliveries hold or await it.
        self._by_event: dict[str, tuple[asyncio.Lock, int]] = {}

    async def start(self) -> None:
        """Declare the work, retry and dead-letter queues, bind, and start consuming."""
        channel = self._channel = await self._bus.open_channel()
        await channel.set_qos(prefetch_count=self._settings.prefetch_count)
        work = await channel.declare_queue(self._queues.work, durable=True)
        for pattern in self._bindings:
            await work.bind(self._settings.exchange, routing_key=pattern)
        self._declared.append(work)
        for delay in sorted(set(self._settings.retry_delays_seconds)):
            self._declared.append(
                await channel.declare_queue(
                    self._queues.retry(delay),
                    durable=True,
                    arguments=self._queues.retry_arguments(delay),
                )
            )
        self._declared.append(await channel.declare_queue(self._queues.dead_letter, durable=True))
        self._work_queue = work
        self._consumer_tag = await work.consume(self._on_message)
        connection = self._bus.connection
        if connection is not None:
            connection.reconnect_callbacks.add(self._ensure_consuming)

    async def _ensure_consuming(self, *_: Any) -> None:
        """After a reconnect, consume again if the restore did not re-attach us."""
        if self._channel is None or self._work_queue is None or self._consumer_tag is None:
            return
        underlay = cast(aiormq.Channel, await self._channel.get_underlay_channel())
        if self._consumer_tag not in underlay.consumers:
            log.warning("consumer on %s was not restored; consuming again", self._queues.work)
            self._consumer_tag = await self._work_queue.consume(self._on_message)

    async def stop(self, timeout: float) -> None:
        """Stop consuming, then let in-flight handlers finish for up to ``timeout`` s.

        Whatever is still unacked when the connection closes is redelivered.
        """
        connection = self._bus.connection
        if connection is not None:
            connection.reconnect_callbacks.discard(self._ensure_consuming)
        if self._work_queue is not None and self._consumer_tag is not None:
            try:
                await self._work_queue.cancel(self._consumer_tag)
            except Exception:
                log.warning("cancelling the consumer failed", exc_info=True)
            self._consumer_tag = None
        if self._in_flight:
            _, pending = await asyncio.wait(self._in_flight, timeout=timeout)
            for task in pending:
                task.cancel()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        try:
            event = CloudEvent.from_json_bytes(message.body)
        except ValidationError as error:
            log.error("malformed message %s dead-lettered: %s", message.message_id, error)
            with receive_span(
                message.routing_key or "",
                message.message_id,
                message.exchange or "",
                message.headers,
                None,
            ):
                await self._park(
                    message,
                    dead_letter_headers(message, error, reason="malformed"),
                    reason="malformed",
                    event=None,
                    tries=_attempt(message) + 1,
                )
            return
        with receive_span(
            event.type, event.id, self._settings.exchange, message.headers, event.traceparent
        ) as span:
            try:
                outcome = await self._handle(event)
            except Exception as error:
                span.record_exception(error)
                span.set_status(StatusCode.ERROR, type(error).__name__)
                await self._handle_failure(message, event, error)
                return
            metrics.EVENTS_CONSUMED.labels(self._service, event.type, outcome).inc()
            await _settle(message.ack())

    @contextlib.asynccontextmanager
    async def _one_at_a_time(self, event_id: str) -> AsyncIterator[None]:
        """Serialise the deliveries of one event id within this replica."""
        lock, users = self._by_event.get(event_id, (asyncio.Lock(), 0))
        self._by_event[event_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._by_event[event_id]
            if users == 1:
                del self._by_event[event_id]
            else:
                self._by_event[event_id] = (lock, users - 1)

    async def _handle(self, event: CloudEvent) -> str:
        async with self._one_at_a_time(event.id):
            return await self._handle_once(event)

    async def _handle_once(self, event: CloudEvent) -> str:
        handler = self._handlers.get(event.type)
        if handler is None:
            log.warning("no handler for event type %s; acked", event.type)
            return "unhandled"
        if isinstance(handler, IdempotentHandler):
            await handler(event)
            return "handled"
        key = {"consumer": self._service, "event_id": event.id}
        if await self._processed.find_one(key, projection={"_id": 1}) is not None:
            log.info("event %s (%s) already processed; skipped", event.id, event.type)
            return "duplicate"
        await handler(event)
        await self._processed.update_one(
            key,
            {"$setOnInsert": {"type": event.type, "processed_at": datetime.now(UTC)}},
            upsert=True,
        )
        return "handled"

    async def _handle_failure(
        self, message: AbstractIncomingMessage, event: CloudEvent, error: Exception
    ) -> None:
        metrics.EVENTS_FAILED.labels(self._service, event.type).inc()
        attempt = _attempt(message)
        delays = self._settings.retry_delays_seconds
        if attempt < len(delays):
            log.warning(
                "handling event %s (%s) failed on attempt %d; retrying in %.1f s: %r",
                event.id,
                event.type,
                attempt + 1,
                delays[attempt],
                error,
            )
            if await self._forward(
                message, self._queues.retry(delays[attempt]), retry_headers(message, attempt + 1)
            ):
                metrics.EVENTS_RETRIED.labels(self._service, event.type).inc()
            return
        log.error(
            "handling event %s (%s) failed %d times; dead-lettered",
            event.id,
            event.type,
            attempt + 1,
            exc_info=error,
        )
        await self._park(
            message,
            dead_letter_headers(message, error, reason="handler_failed"),
            reason="handler_failed",
            event=event,
            tries=attempt + 1,
        )

    async def _park(
        self,
        message: AbstractIncomingMessage,
        headers: dict[str, Any],
        *,
        reason: str,
        event: CloudEvent | None,
        tries: int,
    ) -> None:
        """Move the message to the dead-letter queue, then announce that it is there."""
        if not await self._forward(message, self._queues.dead_letter, headers):
            return  # requeued: it comes back, and is parked (and announced) then
        await self._announce_parked(message, headers, reason=reason, event=event, tries=tries)
        metrics.EVENTS_DEAD_LETTERED.labels(self._service, reason).inc()

    async def _announce_parked(
        self,
        message: AbstractIncomingMessage,
        headers: Mapping[str, Any],
        *,
        reason: str,
        event: CloudEvent | None,
        tries: int,
    ) -> None:
        """Publish ``dead_letter.parked`` for a message already parked and acked.

        Never raises: the parked message is safe whatever happens here, so a failed
        publish is only logged and counted.
        """
        event_type = event.type if event is not None else (message.type or None)
        if event_type == DeadLetterParked.TYPE:
            log.warning(
                "a dead-letter notice (%s) was itself parked in %s; not announced again",
                message.message_id,
                self._queues.dead_letter,
            )
            return
        try:
            parked_at = datetime.fromisoformat(str(headers[DEAD_LETTERED_AT]))
            error = headers.get(ERROR)
            notice = to_cloud_event(
                DeadLetterParked(
                    service=self._service_name,
                    queue=self._queues.dead_letter,
                    event_id=event.id if event is not None else None,
                    event_type=event_type,
                    reason=reason,
                    error=error if isinstance(error, str) else None,
                    attempts=tries,
                    parked_at=parked_at,
                ),
                subject=self._service_name,
            )
            await self._bus.publish(notice)
        except Exception:
            log.exception(
                "message %s is parked in %s, but the notice saying so could not be published",
                message.message_id,
                self._queues.dead_letter,
            )
            metrics.DEAD_LETTER_NOTICES_FAILED.labels(self._service).inc()
            return
        metrics.EVENTS_PUBLISHED.labels(self._service, DeadLetterParked.TYPE).inc()

    async def _forward(
        self, message: AbstractIncomingMessage, queue: str, headers: dict[str, Any]
    ) -> bool:
        """Re-publish the message to ``queue`` (confirmed), then ack the original.

        If the re-publish fails the original is requeued instead, never dropped.
        """
        assert self._channel is not None
        copy = aio_pika.Message(
            message.body,
            headers=headers,
            content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            type=message.type,
            timestamp=message.timestamp,
            app_id=message.app_id,
        )
        try:
            await asyncio.wait_for(
                self._channel.default_exchange.publish(copy, routing_key=queue, mandatory=True),
                timeout=self._settings.publish_timeout_seconds,
            )
        except Exception:
            log.exception("forwarding message %s to %s failed; requeued", message.message_id, queue)
            await _settle(message.nack(requeue=True))
            return False
        await _settle(message.ack())
        return True


def _attempt(message: AbstractIncomingMessage) -> int:
    value = message.headers.get(ATTEMPT, 0)
    return value if isinstance(value, int) else 0


async def _settle(settlement: Any) -> None:
    """Ack or nack; on a closed channel the broker redelivers anyway, so just log."""
    try:
        await settlement
    except Exception:
        log.warning("could not settle a message; the broker will redeliver it", exc_info=True)
