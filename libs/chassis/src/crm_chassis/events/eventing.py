"""The event machinery of one service, wired together: bus, outbox relay, consumer."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from aio_pika.abc import AbstractConnection
from fastapi import APIRouter
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events.bus import Bus
from crm_chassis.events.consumer import PROCESSED_EVENTS_COLLECTION, Consumer, EventHandler
from crm_chassis.events.deadletters import dead_letters_router
from crm_chassis.events.outbox import OUTBOX_LOG_COLLECTION, PENDING_SINCE_FIELD
from crm_chassis.events.relay import OutboxRelay
from crm_chassis.events.settings import EventingSettings
from crm_chassis.mongo import IndexPlan

log = logging.getLogger(__name__)

Document = dict[str, Any]


class Eventing:
    """Publishes a service's outbox and consumes the events it subscribes to.

    ``handlers`` maps event types to handlers (the service's one visible table);
    ``bindings`` are the routing-key patterns its queue is bound by, by default
    the handler table's keys. Both are read at :meth:`start`. A service with
    neither only publishes. Handlers marked :func:`idempotent` run without the ledger
    of processed events (see the consumer).
    Replicas of a service share its queue (competing consumers) and its outbox
    (leases).
    """

    def __init__(
        self,
        settings: EventingSettings,
        db: AsyncDatabase[Document],
        *,
        service: str,
        outbox_collections: Sequence[str],
        handlers: Mapping[str, EventHandler],
        bindings: Sequence[str] | None = None,
    ) -> None:
        self.settings = settings
        self.service = service
        self.handlers: Mapping[str, EventHandler] = handlers
        self.bindings = bindings
        self._db = db
        self._outbox_collections = list(outbox_collections)
        # Unique per instance, so two relays in one process are told apart too.
        owner = f"{service}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._bus = Bus(settings, service=service, owner=owner)
        self._relay = OutboxRelay(
            settings,
            self._bus,
            [self._collection(name) for name in self._outbox_collections],
            self._collection(OUTBOX_LOG_COLLECTION),
            service=service,
            owner=owner,
        )
        self._consumer: Consumer | None = None
        self._router: APIRouter = dead_letters_router(
            lambda: self._bus.connection, self.queue_owner
        )

    @property
    def queue_owner(self) -> str:
        """The name the service's queues are derived from."""
        return self.queue_owner_of(self.service)

    def queue_owner_of(self, service: str) -> str:
        """The name any service's queues are derived from on this deployment's broker
        (one queue prefix for all), for operators' tools over every dead-letter queue."""
        return f"{self.settings.queue_prefix}{service}"

    @property
    def connection(self) -> AbstractConnection | None:
        """The broker connection (None before :meth:`start` or after :meth:`stop`)."""
        return self._bus.connection

    def _collection(self, name: str) -> AsyncCollection[Document]:
        # The relay does date arithmetic on stored times: read them timezone-aware.
        options = self._db.codec_options.with_options(tz_aware=True, tzinfo=UTC)
        return self._db.get_collection(name, codec_options=options)

    async def start(self) -> None:
        """Create the indexes, connect, declare the topology, start relay and consumer."""
        await self._create_indexes()
        await self._bus.connect()
        bindings = list(self.handlers) if self.bindings is None else list(self.bindings)
        if bindings:
            self._consumer = Consumer(
                self.settings,
                self._bus,
                self._collection(PROCESSED_EVENTS_COLLECTION),
                service=self.queue_owner,
                handlers=self.handlers,
                bindings=bindings,
                service_name=self.service,
            )
            await self._consumer.start()
        self._relay.start()
        log.info(
            "eventing started for %s: outbox %s, bindings %s",
            self.service,
            self._outbox_collections,
            bindings,
        )

    async def stop(self) -> None:
        """Stop consuming and let handlers finish, flush the outbox, close the connection.

        Consuming stops first because handlers may write events of their own. Each
        step is bounded by ``stop_timeout_seconds``; what is left is not lost (the
        broker redelivers unacked messages; pending events stay in the outbox).
        """
        timeout = self.settings.stop_timeout_seconds
        if self._consumer is not None:
            await self._consumer.stop(timeout)
        await self._relay.stop(timeout)
        await self._bus.close()

    def notify_outbox(self) -> None:
        """Wake the relay after a local write; polling catches other replicas' writes."""
        self._relay.notify()

    async def ready(self) -> dict[str, bool]:
        return {"broker": self._bus.is_ready()}

    @property
    def dead_letters_router(self) -> APIRouter:
        return self._router

    async def _create_indexes(self) -> None:
        for name, indexes in eventing_indexes(self._outbox_collections, self.settings).items():
            await self._collection(name).create_indexes(list(indexes))


def eventing_indexes(outbox_collections: Sequence[str], settings: EventingSettings) -> IndexPlan:
    """The indexes the event machinery creates at start: the outbox's pending marker in
    each outbox collection, the TTLs of the outbox log and the processed-events ledger."""
    plan: dict[str, list[IndexModel]] = {
        # Sparse: only documents with pending events are in it.
        name: [IndexModel([(PENDING_SINCE_FIELD, ASCENDING)], sparse=True, name="outbox_pending")]
        for name in outbox_collections
    }
    plan[OUTBOX_LOG_COLLECTION] = [
        IndexModel(
            [("published_at", ASCENDING)],
            expireAfterSeconds=settings.outbox_log_ttl_seconds,
            name="outbox_log_ttl",
        )
    ]
    plan[PROCESSED_EVENTS_COLLECTION] = [
        IndexModel(
            [("consumer", ASCENDING), ("event_id", ASCENDING)],
            unique=True,
            name="processed_event_unique",
        ),
        IndexModel(
            [("processed_at", ASCENDING)],
            expireAfterSeconds=settings.processed_events_ttl_seconds,
            name="processed_event_ttl",
        ),
    ]
    return plan
