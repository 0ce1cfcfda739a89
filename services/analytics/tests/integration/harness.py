"""What an integration test holds: the running app, a client, and the broker as the
other services see it (publish their events, watch ours)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage
from fastapi import FastAPI

from analytics.components import Components, components
from analytics.settings import Settings
from crm_chassis.service import ServiceRuntime
from crm_chassis.testing import SigningKeys, auth_header, wait_until
from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.registry import EventData

from ..factories import envelope


@dataclass
class Broker:
    """The test's exchange, reached as another service would reach it."""

    exchange: AbstractExchange
    received: list[dict[str, Any]] = field(default_factory=list)

    async def publish(self, event: CloudEvent) -> None:
        await self.exchange.publish(
            aio_pika.Message(
                event.to_json_bytes(),
                content_type="application/cloudevents+json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=event.id,
            ),
            routing_key=event.type,
        )

    async def record(self, message: AbstractIncomingMessage) -> None:
        async with message.process():
            self.received.append(json.loads(message.body))


@dataclass
class Service:
    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings
    keys: SigningKeys
    broker: Broker

    def auth(self, role: Role, subject: str = "u-1", team: str | None = None) -> dict[str, str]:
        return auth_header(self.keys.token(role, subject=subject, team=team))

    @property
    def analyst(self) -> dict[str, str]:
        return self.auth(Role.ANALYST)

    @property
    def parts(self) -> Components:
        runtime: ServiceRuntime = self.app.state.runtime
        return components(runtime)

    async def publish(self, *items: EventData | CloudEvent) -> list[CloudEvent]:
        events = [item if isinstance(item, CloudEvent) else envelope(item) for item in items]
        for event in events:
            await self.broker.publish(event)
        return events

    async def settled(self, archived: int, timeout: float = 30.0) -> None:
        """Wait until ``archived`` distinct events are handled (an event is archived
        after it was folded) and every rollup is up to date."""
        store = self.parts.store

        async def done() -> bool:
            handled = await store.count_archived()
            return handled >= archived and await store.dirty_count() == 0

        await wait_until(done, timeout=timeout, interval=0.05, what=f"{archived} events ingested")

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.client.get(path, params=params, headers=self.analyst)
        assert response.status_code == 200, response.text
        return response.json()
