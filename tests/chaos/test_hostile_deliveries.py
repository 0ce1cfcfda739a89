"""Deliveries a broker can make: duplicates, any order, and messages that can never be handled.
Each test ends with an audit: every good event counted exactly once, the bad ones parked."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import pytest

from chaos.events import customer_count, customer_created, publish, queue_depth
from crm_chassis.testing import wait_until
from crm_contracts.events import to_cloud_event
from crm_contracts.events.customer import CustomerCreated
from crm_e2e.harness import Platform, event_settings, running_platform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def analytics_only(
    mongo_url: str, amqp_url: str, redis_url: str, smtp_server: Any
) -> AsyncIterator[Platform]:
    async with running_platform(
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        redis_url=redis_url,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        services=("analytics",),
    ) as platform:
        yield platform


async def test_duplicate_and_shuffled_deliveries_are_counted_exactly_once(
    analytics_only: Platform, amqp_url: str
) -> None:
    run = uuid.uuid4().hex[:8]
    events = [customer_created(number, run) for number in range(60)]
    twice = [*events, *events]
    random.Random(7).shuffle(twice)
    exchange = event_settings(analytics_only.run_id)["exchange"]
    async with analytics_only.admin() as client:
        before = await customer_count(client)

        await publish(amqp_url, exchange, twice)

        async def all_counted() -> bool:
            return await customer_count(client) >= before + 60

        await wait_until(all_counted, timeout=30, interval=0.1, what="60 distinct events")
        queue = f"{event_settings(analytics_only.run_id)['queue_prefix']}analytics.events"

        async def drained() -> bool:
            return await queue_depth(amqp_url, queue) == 0

        await wait_until(drained, timeout=30, interval=0.1, what="duplicates consumed")
        assert await customer_count(client) == before + 60


async def test_poison_messages_are_dead_lettered_and_good_events_keep_flowing(
    analytics_only: Platform, amqp_url: str
) -> None:
    settings = event_settings(analytics_only.run_id)
    dead_letters = f"{settings['queue_prefix']}analytics.events.dlq"
    run = uuid.uuid4().hex[:8]
    valid_envelope = json.loads(
        to_cloud_event(
            CustomerCreated(
                customer_id=f"{run}-x",
                member_id="VIP1",
                name="x",
                created_at="2026-01-01T00:00:00Z",
            ),
            subject=f"{run}-x",
        ).to_json_bytes()
    )
    valid_envelope["data"] = {"customer_id": 12, "unexpected": ["shape"]}
    valid_envelope["id"] = f"poison-{run}"
    poison = [
        aio_pika.Message(b"\x00\xff not json at all", message_id=f"garbage-{run}"),
        aio_pika.Message(b'{"specversion": "1.0"}', message_id=f"not-an-event-{run}"),
        aio_pika.Message(
            json.dumps(valid_envelope).encode(),
            content_type="application/cloudevents+json",
            message_id=f"poison-{run}",
        ),
    ]
    good = [customer_created(number, run) for number in range(20)]
    async with analytics_only.admin() as client:
        before = await customer_count(client)
        parked_before = await queue_depth(amqp_url, dead_letters)

        await publish(amqp_url, settings["exchange"], [*poison, *good])

        async def good_counted() -> bool:
            return await customer_count(client) >= before + 20

        await wait_until(good_counted, timeout=30, interval=0.1, what="good events")

        async def poison_parked() -> bool:
            return await queue_depth(amqp_url, dead_letters) >= parked_before + len(poison)

        await wait_until(poison_parked, timeout=30, interval=0.2, what="poison dead-lettered")
        assert await customer_count(client) == before + 20
        assert await queue_depth(amqp_url, dead_letters) == parked_before + len(poison)
