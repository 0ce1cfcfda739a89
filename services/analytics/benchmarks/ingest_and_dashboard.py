"""Benchmark: events/s ingested by analytics, and dashboard latency over a big archive.

Starts its own local MongoDB-protocol server and RabbitMQ (crm_localinfra), then:

1. live ingestion: publishes ``--live`` events onto the broker as the other services
   would and times the running app until every one is archived, folded into facts
   and its rollups recomputed (events/s, end to end);
2. archive: bulk-loads ``--archived`` synthetic events (a year of activity across
   every service) into the event archive and times ``rebuild`` over it;
3. dashboard: serves the app over real HTTP and times ``--requests`` calls of
   ``GET /api/v1/dashboards/main`` (p50, p95, p99) and of the main reports.

Run:  uv run python services/analytics/benchmarks/ingest_and_dashboard.py \
          [--archived 1000000] [--live 3000] [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import aio_pika
import httpx
from asgi_lifespan import LifespanManager

from analytics.__main__ import rebuild_read_models
from analytics.app import create_app
from analytics.components import components
from analytics.settings import Settings
from analytics.store.read_models import AnalyticsStore
from crm_chassis.testing import SigningKeys, auth_header, serve_app, unique_name, wait_until
from crm_contracts.access import Role
from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, marketing, sales, support
from crm_contracts.events.registry import to_cloud_event
from crm_localinfra.infra import LocalInfra

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
STAGES = [("qualified", "0.2"), ("demo", "0.5"), ("proposal", "0.6"), ("negotiation", "0.8")]


def synthetic_events(count: int, seed: int = 1) -> Iterator[CloudEvent]:
    """A year of activity: customers, deals, orders, payments, tickets, surveys, campaigns."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    reps = [(f"rep-{n}", f"team-{n % 8}") for n in range(40)]
    produced = 0
    serial = 0

    def at() -> datetime:
        return YEAR_START + timedelta(minutes=rng.randrange(0, 330 * 24 * 60))

    while produced < count:
        serial += 1
        customer_id = f"c{serial}"
        created = at()
        batch = [
            customer.CustomerCreated(
                customer_id=customer_id,
                member_id=f"VIP{serial:010d}",
                name=f"Customer {serial}",
                created_at=created,
            )
        ]
        for n in range(rng.randrange(0, 4)):
            amount = Decimal(rng.randrange(50, 2000))
            paid = created + timedelta(days=rng.randrange(0, 30))
            batch += [
                sales.OrderPlaced(
                    order_id=f"o{serial}-{n}",
                    order_number=f"SO{serial}{n}",
                    customer_id=customer_id,
                    amount=amount,
                    placed_at=paid,
                ),
                sales.PaymentReceived(
                    payment_id=f"p{serial}-{n}",
                    order_id=f"o{serial}-{n}",
                    customer_id=customer_id,
                    amount=amount,
                    paid_at=paid,
                ),
            ]
        if rng.random() < 0.5:
            owner, team = rng.choice(reps)
            deal = f"d{serial}"
            amount = Decimal(rng.randrange(10, 500) * 100)
            batch.append(
                sales.OpportunityCreated(
                    opportunity_id=deal,
                    customer_id=customer_id,
                    name=deal,
                    owner_id=owner,
                    team=team,
                    pipeline_id="default",
                    stage=STAGES[0][0],
                    probability=Decimal(STAGES[0][1]),
                    amount=amount,
                    expected_close=date(2027, rng.randrange(1, 13), 1),
                    created_at=created,
                )
            )
            moment = created
            for (previous, _), (stage, probability) in itertools.pairwise(
                STAGES[: rng.randrange(1, 5)]
            ):
                moment += timedelta(days=rng.randrange(1, 10))
                batch.append(
                    sales.OpportunityStageChanged(
                        opportunity_id=deal,
                        customer_id=customer_id,
                        owner_id=owner,
                        team=team,
                        pipeline_id="default",
                        from_stage=previous,
                        to_stage=stage,
                        probability=Decimal(probability),
                        amount=amount,
                        changed_at=moment,
                    )
                )
            outcome = rng.random()
            closed = moment + timedelta(days=rng.randrange(1, 20))
            closing = {
                "opportunity_id": deal,
                "customer_id": customer_id,
                "owner_id": owner,
                "team": team,
                "amount": amount,
                "created_at": created,
                "closed_at": closed,
            }
            if outcome < 0.3:
                batch.append(sales.OpportunityWon(**closing))
            elif outcome < 0.6:
                batch.append(sales.OpportunityLost(**closing))
        if rng.random() < 0.4:
            ticket = f"t{serial}"
            opened = created + timedelta(days=rng.randrange(0, 20))
            batch.append(
                support.TicketOpened(
                    ticket_id=ticket,
                    customer_id=customer_id,
                    type=rng.choice(["technical", "billing", "complaint"]),
                    priority="normal",
                    channel="email",
                    subject="help",
                    opened_at=opened,
                )
            )
            if rng.random() < 0.8:
                handling = rng.randrange(600, 3 * 86400)
                batch.append(
                    support.TicketResolved(
                        ticket_id=ticket,
                        customer_id=customer_id,
                        assignee_id=f"agent-{serial % 12}",
                        team="support",
                        priority="normal",
                        opened_at=opened,
                        resolved_at=opened + timedelta(seconds=handling),
                        first_response_seconds=float(rng.randrange(30, 3600)),
                        handling_seconds=float(handling),
                        first_contact_resolution=rng.random() < 0.8,
                        sla_met=rng.random() < 0.9,
                    )
                )
                batch.append(
                    support.SurveyAnswered(
                        survey_id=f"s{serial}",
                        ticket_id=ticket,
                        customer_id=customer_id,
                        agent_id=f"agent-{serial % 12}",
                        score=rng.randrange(1, 6),
                        answered_at=opened + timedelta(seconds=handling + 3600),
                    )
                )
        campaign = f"camp-{serial % 50}"
        batch.append(
            marketing.MessageOpened(
                message_id=f"msg{serial}",
                campaign_id=campaign,
                customer_id=customer_id,
                opened_at=created,
            )
        )
        if serial % 200 == 0:
            batch.append(
                marketing.CampaignMetricsUpdated(
                    campaign_id=campaign,
                    name=campaign,
                    audience=20000,
                    sent=20000,
                    delivered=19000,
                    bounced=1000,
                    opened=7000,
                    clicked=1500,
                    participants=900,
                    converted=120,
                    revenue=Decimal(rng.randrange(10, 90) * 1000),
                    cost=Decimal(20000),
                    as_of=created,
                )
            )
        for data in batch:
            if produced >= count:
                return
            event = to_cloud_event(data)
            yield event.model_copy(update={"time": getattr(data, _time_field(data))})
            produced += 1


def _time_field(data: object) -> str:
    for name in (
        "created_at",
        "changed_at",
        "closed_at",
        "placed_at",
        "paid_at",
        "opened_at",
        "resolved_at",
        "answered_at",
        "as_of",
    ):
        if hasattr(data, name):
            return name
    raise ValueError(type(data).__name__)


def say(*parts: object) -> None:
    sys.stdout.write(" ".join(str(part) for part in parts) + "\n")
    sys.stdout.flush()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def settings_for(keys: SigningKeys, mongo_url: str, amqp_url: str, db: str) -> Settings:
    return Settings(
        service_name=unique_name("analytics_bench"),
        jwt_public_key=keys.public_pem,
        mongo_url=mongo_url,
        mongo_db=db,
        amqp_url=amqp_url,
        events={"exchange": unique_name("bench"), "prefetch_count": 64},
    )


async def live_ingestion(keys: SigningKeys, mongo_url: str, amqp_url: str, count: int) -> None:
    """Queue ``count`` events while the service is down, then time how fast it drains them
    (so the figure is the service's, not the publisher's)."""
    settings = settings_for(keys, mongo_url, amqp_url, unique_name("bench_live"))
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30):
        pass  # declares the exchange and the service's durable queue
    events = list(synthetic_events(count, seed=2))
    connection = await aio_pika.connect_robust(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(settings.events.exchange)
        for start in range(0, count, 200):
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(
                            event.to_json_bytes(),
                            message_id=event.id,
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        ),
                        routing_key=event.type,
                    )
                    for event in events[start : start + 200]
                )
            )
    app = create_app(settings)
    started = time.perf_counter()
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        store = components(app.state.runtime).store

        async def settled() -> bool:
            handled = await store.count_archived()
            return handled >= count and await store.dirty_count() == 0

        await wait_until(settled, timeout=3600, interval=0.2, what="live ingestion")
        elapsed = time.perf_counter() - started
    say(
        f"live ingestion: {count} queued events consumed, archived, folded into facts and",
        f"rolled up in {elapsed:.1f} s = {count / elapsed:.0f} events/s",
    )


async def archive_and_dashboard(
    keys: SigningKeys, mongo_url: str, amqp_url: str, count: int, requests: int
) -> None:
    settings = settings_for(keys, mongo_url, amqp_url, unique_name("bench_archive"))
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        store: AnalyticsStore = components(app.state.runtime).store
        started = time.perf_counter()
        batch: list[CloudEvent] = []
        for event in synthetic_events(count):
            batch.append(event)
            if len(batch) == 5000:
                await store.archive_many(batch)
                batch = []
        if batch:
            await store.archive_many(batch)
        say(
            f"archive: {await store.count_archived()} events loaded in "
            f"{time.perf_counter() - started:.0f} s"
        )
        started = time.perf_counter()
        await rebuild_read_models(settings)
        elapsed = time.perf_counter() - started
        kinds = ("customer", "opportunity", "ticket", "survey", "campaign")
        facts = sum([await store.db[f"{kind}_facts"].count_documents({}) for kind in kinds])
        rollups = await store.db["rollups"].count_documents({})
        say(
            f"rebuild: {count} events replayed into {facts} facts and {rollups} rollups "
            f"in {elapsed:.0f} s = {count / elapsed:.0f} events/s"
        )
        headers = auth_header(keys.token(Role.ANALYST))
        async with (
            serve_app(app) as url,
            httpx.AsyncClient(base_url=url, headers=headers) as client,
        ):
            for path, params in (
                ("/api/v1/dashboards/main", {"period": "2026-06"}),
                ("/api/v1/reports/funnel", {"period_from": "2026-01", "period_to": "2026-12"}),
                ("/api/v1/reports/performance", {"period_from": "2026-06", "period_to": "2026-06"}),
                ("/api/v1/reports/customer-count", {}),
            ):
                samples = []
                for _ in range(requests):
                    begin = time.perf_counter()
                    response = await client.get(path, params=params)
                    samples.append((time.perf_counter() - begin) * 1000)
                    assert response.status_code == 200, response.text
                say(
                    f"{path}: p50 {statistics.median(samples):.1f} ms,",
                    f"p95 {percentile(samples, 0.95):.1f} ms,",
                    f"p99 {percentile(samples, 0.99):.1f} ms over {requests} requests",
                )
            samples = []
            for _ in range(min(requests, 100)):
                await store.next_generation()  # as after an ingested event: recompute
                begin = time.perf_counter()
                await client.get("/api/v1/dashboards/main", params={"period": "2026-06"})
                samples.append((time.perf_counter() - begin) * 1000)
            say(
                f"dashboard recomputed from the totals on each read: p50 "
                f"{statistics.median(samples):.1f} ms, p99 {percentile(samples, 0.99):.1f} ms",
            )
            board = await client.get("/api/v1/dashboards/main", params={"period": "2026-06"})
            say("dashboard:", board.json())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--archived", type=int, default=1_000_000)
    parser.add_argument("--live", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    infra = LocalInfra()
    try:
        mongo_url, amqp_url = infra.mongo().url, infra.rabbitmq().url
        keys = SigningKeys.generate()
        if args.live:
            await live_ingestion(keys, mongo_url, amqp_url, args.live)
        if args.archived:
            await archive_and_dashboard(keys, mongo_url, amqp_url, args.archived, args.requests)
    finally:
        infra.close()


if __name__ == "__main__":
    asyncio.run(main())
