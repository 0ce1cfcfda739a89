"""``python -m crm_bench.notifications``: the notifications figures (issue 17).

On the platform started as processes (as ``make bench`` starts it), with people made
through the gateway's user API, so that the notifications service knows them from the
gateway's ``crm.gateway.user.changed.v1`` events as in production:

1. **Fan-out.** ``--recipients`` support agents (1,000) are on call in one team. An SLA
   warning for an unassigned ticket of that team is for all of them. ``--events`` (10) such
   events are published to the broker at once; the figure is inbox items created per
   second, from the first publish until the last item exists (the item count is read
   every 0.1 s).
2. **CPU per notification.** The CPU time each process spent in that window, from
   ``/proc`` (the service, the MongoDB-protocol server, RabbitMQ, the gateway), less
   what it spends idle, divided by the items created.
3. **Event to console.** ``--clients`` (200) other agents, each with a token of their
   own, hold the live stream (``GET /api/v1/notifications/stream``) open through the
   gateway. For each client the time from the publish of an event addressed to them
   to the frame arriving: ``--team-rounds`` SLA warnings to their whole team (one event,
   200 items), then ``--personal-rounds`` rounds of a ticket assigned to each of them
   (200 events at once, one item each); and the CPU per item made and streamed.
   Streams are opened 20 at a time, and opened again after a refusal, as the console
   does.

Before each step the host reference (the CPU time of a fixed Python workload, as in
``make bench``) and the load average are taken; the database and broker round trips
once. Results are printed and written to ``bench/results/notifications.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import psutil
from pymongo import AsyncMongoClient

from crm_bench.figures import percentile
from crm_bench.load import cpu_seconds, listeners
from crm_bench.references import broker_round_trip, database_round_trip, host_cpu_ms
from crm_bench.stack import Stack, running_stack
from crm_contracts.access import Role
from crm_contracts.events.registry import EventData, to_cloud_event
from crm_contracts.events.support import SlaWarning, TicketAssigned

REPO = Path(__file__).resolve().parents[3]
ON_CALL_TEAM = "bench-on-call"
LIVE_TEAM = "bench-live"
STREAM = "/api/v1/notifications/stream"
# The service's collections (services/notifications/README.md).
ITEMS = "notifications"
PEOPLE = "people"
# Processes whose CPU is counted, by the port they listen on.
COUNTED = ("notifications", "gateway", "mongo", "rabbitmq")
POLL_SECONDS = 0.1
IDLE_SECONDS = 5.0
# Users made at once through the gateway; each administrator token makes at most
# USERS_PER_ADMIN of them (the gateway limits a caller to 1,200 requests a minute).
ENROL_CONCURRENCY = 8
USERS_PER_ADMIN = 100
TOKEN_TTL = timedelta(hours=2)
# Live streams being opened at once, and how a refused one is opened again: after the
# stream's own retry time (1 s), as the console's client does.
OPEN_AT_ONCE = 20
OPEN_ATTEMPTS = 10
RETRIED = frozenset({429, 502, 503, 504})
RETRY_SECONDS = 1.0


# Results ----------------------------------------------------------------------------


def latency_figures(latencies_ms: Sequence[float]) -> dict[str, float]:
    return {
        "count": len(latencies_ms),
        "p50_ms": round(percentile(latencies_ms, 0.50), 1),
        "p95_ms": round(percentile(latencies_ms, 0.95), 1),
        "max_ms": round(max(latencies_ms, default=0.0), 1),
    }


def fan_out_figures(
    started: float, counts: Sequence[tuple[float, int]], expected: int
) -> dict[str, Any]:
    """Items per second from the first publish (``started``) until ``expected`` items
    existed, from the counts read meanwhile (time, items so far); also for each half of
    the items, which shows whether the rate falls as the collection grows."""
    done_at = next((at for at, count in counts if count >= expected), None)
    half_at = next((at for at, count in counts if count >= expected / 2), None)
    created = counts[-1][1] if counts else 0
    figures: dict[str, Any] = {"items_expected": expected, "items_created": created}
    if done_at is None or half_at is None:
        figures["complete"] = False
        return figures
    seconds = done_at - started
    figures.update(complete=True, seconds=round(seconds, 2))
    figures["items_per_second"] = round(expected / seconds, 1)
    # Halves closer together than two reads of the count have no rate to tell.
    if half_at - started >= 2 * POLL_SECONDS and done_at - half_at >= 2 * POLL_SECONDS:
        figures["first_half_items_per_second"] = round(expected / 2 / (half_at - started), 1)
        figures["second_half_items_per_second"] = round(expected / 2 / (done_at - half_at), 1)
    return figures


def cpu_per_item(
    before: dict[str, float],
    after: dict[str, float],
    idle_cores: dict[str, float],
    seconds: float,
    items: int,
) -> dict[str, float]:
    """CPU milliseconds per item of each process over a window of ``seconds``, less the
    CPU it spends idle in as long a time; ``platform`` sums the platform's processes."""
    shares = {}
    for name in after:
        if name in before and items:
            busy = after[name] - before[name] - idle_cores.get(name, 0.0) * seconds
            shares[name] = round(max(busy, 0.0) * 1000 / items, 3)
    # The platform's processes; the bench's own client is shown but not counted.
    shares["platform"] = round(sum(v for k, v in shares.items() if k in COUNTED), 3)
    return shares


@dataclass
class SseReader:
    """Server-Sent Events read line by line: :meth:`feed` gives (event, id, data) when
    a line ends a frame with data; comments and ``retry:`` give nothing."""

    event: str = ""
    id: str = ""
    data: list[str] = field(default_factory=list)

    def feed(self, line: str) -> tuple[str, str, str] | None:
        if line == "":
            frame = (self.event, self.id, "\n".join(self.data)) if self.data else None
            self.event, self.id, self.data = "", "", []
            return frame
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self.event = value
        elif name == "id":
            self.id = value
        elif name == "data":
            self.data.append(value)
        return None


def sse_frames(lines: Iterable[str]) -> list[tuple[str, str, str]]:
    """(event, id, data) of each whole frame in ``lines``."""
    reader = SseReader()
    return [frame for line in lines if (frame := reader.feed(line)) is not None]


# The platform -----------------------------------------------------------------------


def platform_processes(stack: Stack) -> dict[str, psutil.Process]:
    ports = {name: app.port for name, app in stack.apps.items()}
    ports["mongo"] = int(stack.mongo_url.rsplit(":", 1)[1].split("/")[0])
    ports["rabbitmq"] = stack.infra.rabbitmq().port
    found = listeners(ports)
    found["bench"] = psutil.Process()
    return {name: process for name, process in found.items() if name in (*COUNTED, "bench")}


def cpu_now(processes: dict[str, psutil.Process]) -> dict[str, float]:
    """CPU seconds so far of each process with its children; the bench's own without
    its children (they are the platform)."""
    spent = {name: cpu_seconds(process) for name, process in processes.items() if name != "bench"}
    own = psutil.Process().cpu_times()
    return {**spent, "bench": own.user + own.system}


async def idle_cores(processes: dict[str, psutil.Process]) -> dict[str, float]:
    """Each process's CPU with nothing asked of it (the relays', watchers' and mail
    senders' rounds), in cores."""
    before = cpu_now(processes)
    await asyncio.sleep(IDLE_SECONDS)
    after = cpu_now(processes)
    return {name: round((after[name] - before[name]) / IDLE_SECONDS, 4) for name in after}


def host_state() -> dict[str, Any]:
    return {"host_cpu_ms": host_cpu_ms(), "load_average": [round(x, 2) for x in os.getloadavg()]}


async def enrol(
    stack: Stack, team: str, count: int, admins: Sequence[str], counter: list[int]
) -> list[str]:
    """``count`` support agents of ``team`` made through the gateway's user API; their
    ids. ``counter`` numbers the users made so far, across teams."""
    made: list[str] = []
    gate = asyncio.Semaphore(ENROL_CONCURRENCY)
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30.0) as client:

        async def make(number: int) -> None:
            counter[0] += 1
            admin = admins[(counter[0] // USERS_PER_ADMIN) % len(admins)]
            body = {
                "email": f"{team}-{run}-{number:04d}@bench.local",
                "password": f"bench-password-{uuid.uuid4().hex}",
                "display_name": f"Agent {number} of {team}",
                "roles": [Role.SUPPORT_AGENT.value],
                "team": team,
            }
            async with gate:
                response = await client.post(
                    "/api/v1/users", json=body, headers={"Authorization": f"Bearer {admin}"}
                )
            if response.status_code != 201:
                raise RuntimeError(f"making a user: {response.status_code} {response.text}")
            made.append(response.json()["id"])

        await asyncio.gather(*(make(number) for number in range(count)))
    return made


async def wait_for(what: str, check: Callable[[], Awaitable[bool]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {timeout:.0f} s")
        await asyncio.sleep(POLL_SECONDS)


class Publisher:
    """Publishes events on the platform's exchange as their services would (confirmed,
    persistent, routed by type)."""

    def __init__(self, stack: Stack) -> None:
        self._url = stack.amqp_url
        self._exchange_name = stack.exchange

    async def __aenter__(self) -> Publisher:
        self._connection = await aio_pika.connect(self._url)
        channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await channel.get_exchange(self._exchange_name)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._connection.close()

    async def publish(self, data: EventData) -> None:
        event = to_cloud_event(data)
        message = aio_pika.Message(
            event.to_json_bytes(),
            content_type="application/cloudevents+json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=event.id,
            type=event.type,
        )
        await self._exchange.publish(message, routing_key=event.type, timeout=30)


def sla_warning(team: str, ticket_id: str) -> SlaWarning:
    now = datetime.now(UTC)
    return SlaWarning(
        ticket_id=ticket_id,
        team=team,
        subject="Bench: the printer is on fire",
        priority="high",
        clock="first_response",
        due_at=now + timedelta(minutes=30),
        warned_at=now,
    )


def ticket_assigned(agent: str, ticket_id: str) -> TicketAssigned:
    return TicketAssigned(
        ticket_id=ticket_id,
        assignee_id=agent,
        team=LIVE_TEAM,
        subject="Bench: a customer waits",
        assigned_at=datetime.now(UTC),
    )


# 1 and 2: fan-out and CPU ------------------------------------------------------------


async def measure_fan_out(
    stack: Stack, items: AsyncMongoClient[dict[str, Any]], recipients: int, events: int
) -> dict[str, Any]:
    collection = items[stack.apps["notifications"].env["CRM_MONGO_DB"]][ITEMS]
    processes = platform_processes(stack)
    idle = await idle_cores(processes)
    base = await collection.estimated_document_count()
    expected = recipients * events
    counts: list[tuple[float, int]] = []
    async with Publisher(stack) as publisher:
        before = cpu_now(processes)
        started = time.perf_counter()
        await asyncio.gather(
            *(
                publisher.publish(sla_warning(ON_CALL_TEAM, f"bench-fan-out-{n}"))
                for n in range(events)
            )
        )
        published = time.perf_counter() - started
        deadline = started + max(600.0, expected / 5)
        while time.perf_counter() < deadline:
            count = await collection.estimated_document_count() - base
            counts.append((time.perf_counter(), count))
            if count >= expected:
                break
            await asyncio.sleep(POLL_SECONDS)
        after = cpu_now(processes)
    figures = fan_out_figures(started, counts, expected)
    seconds = counts[-1][0] - started
    return {
        "recipients_per_event": recipients,
        "events": events,
        "publish_seconds": round(published, 3),
        **figures,
        "idle_cores": idle,
        "cpu_ms_per_item": cpu_per_item(before, after, idle, seconds, figures["items_created"]),
    }


# 3: event to console -------------------------------------------------------------------


@dataclass
class LiveClient:
    """One person's live stream through the gateway: when each record's item arrived
    (perf_counter). Like the console, it opens the stream again after a refusal (503,
    429) once the stream's retry time has passed."""

    user_id: str
    token: str
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    arrivals: dict[str, float] = field(default_factory=dict)
    refusals: Counter[int] = field(default_factory=Counter)
    failure: str | None = None
    dropped: bool = False

    async def follow(self, client: httpx.AsyncClient, opening: asyncio.Semaphore) -> None:
        """Open the stream (holding one of ``opening`` until it is connected) and note
        each item's arrival until cancelled."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            await opening.acquire()
            held = True
            try:
                request = client.build_request("GET", STREAM, headers=headers)
                response = await client.send(request, stream=True)
                if response.status_code == 200:
                    try:
                        reader = SseReader()
                        async for line in response.aiter_lines():
                            if line.startswith("retry:") and held:
                                self.connected.set()
                                opening.release()
                                held = False
                            frame = reader.feed(line)
                            if frame is not None and frame[0] == "notification":
                                item = json.loads(frame[2])
                                record = item["record"]["id"]
                                self.arrivals.setdefault(record, time.perf_counter())
                        self.dropped = True
                    finally:
                        await response.aclose()
                    return
                body = await response.aread()
                await response.aclose()
            except httpx.HTTPError as error:
                self.failure = repr(error)
                self.connected.set()
                return
            finally:
                if held:
                    opening.release()
            if response.status_code not in RETRIED or attempt == OPEN_ATTEMPTS:
                self.failure = f"{response.status_code} {body[:200]!r}"
                self.connected.set()
                return
            self.refusals[response.status_code] += 1
            await asyncio.sleep(RETRY_SECONDS)


@contextlib.asynccontextmanager
async def live_clients(stack: Stack, people: Sequence[str]) -> AsyncIterator[list[LiveClient]]:
    """Every person's stream open (the ``retry:`` line read: from then on every new
    item comes), until the block ends. Streams are opened ``OPEN_AT_ONCE`` at a time."""
    clients = [
        LiveClient(
            user_id,
            stack.keys.token(Role.SUPPORT_AGENT, subject=user_id, team=LIVE_TEAM, ttl=TOKEN_TTL),
        )
        for user_id in people
    ]
    limits = httpx.Limits(max_connections=len(clients) + 10, max_keepalive_connections=0)
    timeout = httpx.Timeout(30.0, read=None)
    opening = asyncio.Semaphore(OPEN_AT_ONCE)
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, limits=limits, timeout=timeout
    ) as http:
        tasks = [asyncio.create_task(client.follow(http, opening)) for client in clients]
        try:
            await asyncio.wait_for(
                asyncio.gather(*(client.connected.wait() for client in clients)), timeout=300
            )
            failed = [client.failure for client in clients if client.failure]
            if failed:
                raise RuntimeError(f"{len(failed)} streams failed, e.g. {failed[0]}")
            yield clients
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _round(
    clients: Sequence[LiveClient],
    sent: dict[str, float],
    expected: dict[str, str],
    timeout: float,
) -> tuple[list[float], int]:
    """Latencies (ms) of one round once every client got its record (``expected``:
    user -> record id; ``sent``: record id -> publish time), and how many did not."""

    async def all_arrived() -> bool:
        return all(expected[c.user_id] in c.arrivals for c in clients)

    with contextlib.suppress(TimeoutError):
        await wait_for("every client's item", all_arrived, timeout)
    latencies = []
    missed = 0
    for client in clients:
        record = expected[client.user_id]
        arrived = client.arrivals.get(record)
        if arrived is None:
            missed += 1
        else:
            latencies.append((arrived - sent[record]) * 1000)
    return latencies, missed


async def measure_live(
    stack: Stack, people: Sequence[str], team_rounds: int, personal_rounds: int
) -> dict[str, Any]:
    processes = platform_processes(stack)
    connect_started = time.perf_counter()
    async with live_clients(stack, people) as clients, Publisher(stack) as publisher:
        connect_seconds = time.perf_counter() - connect_started
        idle = await idle_cores(processes)
        team = await _phase(processes, idle, team_rounds, lambda: _team_round(clients, publisher))
        personal = await _phase(
            processes, idle, personal_rounds, lambda: _personal_round(clients, publisher)
        )
        refusals: Counter[int] = Counter()
        for client in clients:
            refusals.update(client.refusals)
        dropped = sum(client.dropped for client in clients)
    return {
        "clients": len(people),
        "connect_seconds": round(connect_seconds, 2),
        "opened_at_once": OPEN_AT_ONCE,
        "refused_opens": {str(status): count for status, count in sorted(refusals.items())},
        "streams_dropped": dropped,
        "idle_cores": idle,
        "team_alert": team,
        "personal_alerts": personal,
    }


Round = Callable[[], Awaitable[tuple[list[float], int]]]


async def _phase(
    processes: dict[str, psutil.Process], idle: dict[str, float], rounds: int, one: Round
) -> dict[str, Any]:
    """``rounds`` rounds one after the other: the latencies, the items that did not
    arrive, and the CPU per item delivered (made and streamed)."""
    before = cpu_now(processes)
    started = time.perf_counter()
    latencies: list[float] = []
    missed = 0
    for _ in range(rounds):
        found, lost = await one()
        latencies += found
        missed += lost
    seconds = time.perf_counter() - started
    after = cpu_now(processes)
    return {
        "rounds": rounds,
        "missed": missed,
        **latency_figures(latencies),
        "cpu_ms_per_item": cpu_per_item(before, after, idle, seconds, len(latencies)),
    }


async def _team_round(
    clients: Sequence[LiveClient], publisher: Publisher
) -> tuple[list[float], int]:
    """One SLA warning to the clients' whole team: one event, an item for each."""
    ticket = f"bench-team-{uuid.uuid4().hex[:8]}"
    sent = {ticket: time.perf_counter()}
    await publisher.publish(sla_warning(LIVE_TEAM, ticket))
    return await _round(clients, sent, {c.user_id: ticket for c in clients}, timeout=60)


async def _personal_round(
    clients: Sequence[LiveClient], publisher: Publisher
) -> tuple[list[float], int]:
    """A ticket assigned to each client, all at once: an event for each."""
    run = uuid.uuid4().hex[:8]
    expected = {c.user_id: f"bench-personal-{run}-{i}" for i, c in enumerate(clients)}
    sent: dict[str, float] = {}

    async def assign(user_id: str, ticket: str) -> None:
        sent[ticket] = time.perf_counter()
        await publisher.publish(ticket_assigned(user_id, ticket))

    await asyncio.gather(*(assign(user, ticket) for user, ticket in expected.items()))
    return await _round(clients, sent, expected, timeout=60)


# The run --------------------------------------------------------------------------------


async def _measure(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    admins = [
        stack.keys.token(Role.ADMIN, subject=f"bench-admin-{n}", ttl=TOKEN_TTL)
        for n in range(max(1, (args.recipients + args.clients) // USERS_PER_ADMIN + 1))
    ]
    counter = [0]
    enrol_started = time.perf_counter()
    on_call = await enrol(stack, ON_CALL_TEAM, args.recipients, admins, counter)
    live = await enrol(stack, LIVE_TEAM, args.clients, admins, counter)
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack.mongo_url)
    try:
        people = mongo[stack.apps["notifications"].env["CRM_MONGO_DB"]][PEOPLE]

        async def directory_complete() -> bool:
            known: int = await people.count_documents({"active": True})
            return known >= len(on_call) + len(live)

        await wait_for("the directory's copy of the users", directory_complete, 300)
        enrolled = time.perf_counter() - enrol_started
        fan_out_host = await asyncio.to_thread(host_state)
        fan_out = await measure_fan_out(stack, mongo, len(on_call), args.events)
        print(f"fan-out: {json.dumps(fan_out)}", flush=True)  # noqa: T201
        live_host = await asyncio.to_thread(host_state)
        live_figures = await measure_live(stack, live, args.team_rounds, args.personal_rounds)
        items = await mongo[stack.apps["notifications"].env["CRM_MONGO_DB"]][
            ITEMS
        ].estimated_document_count()
    finally:
        await mongo.close()
    return {
        "users_made_seconds": round(enrolled, 1),
        "fan_out": {**fan_out, "host": fan_out_host},
        "event_to_console": {**live_figures, "host": live_host, "items_in_store": items},
        "host_after": host_state(),
    }


def render(results: dict[str, Any]) -> str:
    fan = results["fan_out"]
    live = results["event_to_console"]
    refs = results["references"]

    def cpu(shares: dict[str, float]) -> str:
        return ", ".join(f"{name} {value:.2f}" for name, value in shares.items())

    def host(state: dict[str, Any]) -> str:
        load = " ".join(f"{x:.2f}" for x in state["load_average"])
        return f"host reference {state['host_cpu_ms']} ms, load {load}"

    lines = [
        f"machine: {results['machine']}",
        f"references: database round trip p50/p99 {refs['database']['p50_ms']} / "
        f"{refs['database']['p99_ms']} ms; broker publish-to-consume p50/p99 "
        f"{refs['broker']['p50_ms']} / {refs['broker']['p99_ms']} ms",
        "",
        f"fan-out: {fan['events']} events x {fan['recipients_per_event']} recipients "
        f"({host(fan['host'])})",
    ]
    if fan.get("complete"):
        halves = ""
        if "first_half_items_per_second" in fan:
            halves = (
                f"; first half {fan['first_half_items_per_second']}/s, second half "
                f"{fan['second_half_items_per_second']}/s"
            )
        lines.append(
            f"  {fan['items_per_second']} notifications/s ({fan['items_created']} items in "
            f"{fan['seconds']} s{halves})"
        )
    else:
        lines.append(f"  INCOMPLETE: {fan['items_created']} of {fan['items_expected']} items")
    lines += [
        f"  CPU ms per notification: {cpu(fan['cpu_ms_per_item'])}",
        "",
        f"event to console: {live['clients']} streams through the gateway "
        f"({host(live['host'])}; {live['items_in_store']} items in the store)",
    ]
    for name in ("team_alert", "personal_alerts"):
        figures = live[name]
        lines += [
            f"  {name.replace('_', ' ')}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} "
            f"ms, max {figures['max_ms']} ms ({figures['count']} received over "
            f"{figures['rounds']} rounds, {figures['missed']} missed)",
            f"    CPU ms per item made and streamed: {cpu(figures['cpu_ms_per_item'])}",
        ]
    refused = ", ".join(f"{n} x {status}" for status, n in live["refused_opens"].items())
    lines.append(
        f"  streams opened {live['opened_at_once']} at a time in {live['connect_seconds']} s "
        f"(refused and opened again: {refused or 'none'}); dropped during the rounds: "
        f"{live['streams_dropped']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_bench.notifications", description=__doc__)
    parser.add_argument("--recipients", type=int, default=1000, help="people on call")
    parser.add_argument("--events", type=int, default=10, help="alerts to all of them")
    parser.add_argument("--clients", type=int, default=200, help="open live streams")
    parser.add_argument("--team-rounds", type=int, default=5)
    parser.add_argument("--personal-rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args(argv)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    gateway_env = {
        # Every live stream holds a connection to the service.
        "CRM_UPSTREAM__MAX_CONNECTIONS": "400",
        "CRM_UPSTREAM__MAX_KEEPALIVE_CONNECTIONS": "200",
        # The people's passwords are never used (the bench signs their tokens): making
        # 1,200 accounts should not cost minutes of Argon2.
        "CRM_PASSWORD_HASH__TIME_COST": "1",
        "CRM_PASSWORD_HASH__MEMORY_KIB": "1024",
        "CRM_PASSWORD_HASH__PARALLELISM": "1",
    }
    with running_stack(args.out / "notifications-logs", gateway_env=gateway_env) as stack:
        references = {
            "database": database_round_trip(stack.mongo_url),
            "broker": broker_round_trip(stack.amqp_url),
        }
        measured = asyncio.run(_measure(stack, args))
    results = {
        "started_at": started_at,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, the platform as processes (one uvicorn worker each)",
        "references": references,
        **measured,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "notifications.json").write_text(json.dumps(results, indent=2) + "\n")
    print(render(results))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
