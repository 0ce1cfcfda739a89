"""SIGTERM under load: a real service process drains and flushes its outbox.

What Kubernetes does at a rollout: the pod leaves the endpoints (the preStop sleep covers
that), then gets SIGTERM. Here a real ``python -m customer`` runs against the local
MongoDB-protocol server and RabbitMQ, takes a steady stream of writes (interactions
recorded on a customer's timeline, each with its event in the outbox), and is sent
SIGTERM mid-stream. Every request the server accepted must end in 201, and the event of
every accepted write must be on the broker once the process has exited.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import httpx
import pytest
from pymongo import AsyncMongoClient

from crm_chassis.testing import SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
ACCEPTED_BEFORE_SIGTERM = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _ready(url: str) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{url}/readyz", timeout=1.0)).status_code == 200
    except httpx.TransportError:
        return False


async def _send_until_refused(
    url: str, token: str, customer_id: str, recorded: list[str], failures: list[str]
) -> None:
    """Record interactions back to back until the server stops accepting connections.

    A fresh connection per request: a refused connect means "not accepted" (fine once
    SIGTERM is sent), anything else that goes wrong after acceptance is a failure. One
    client per worker (building one costs milliseconds of CPU, during which a starved
    test would have no request in flight at SIGTERM), keeping no connection alive.
    """
    fresh_connections = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(
        headers=auth_header(token), timeout=30.0, limits=fresh_connections
    ) as client:
        while True:
            body = {
                "channel": "call",
                "occurred_at": datetime.now(UTC).isoformat(),
                "summary": "Follow-up call",
            }
            try:
                response = await client.post(
                    f"{url}/api/v1/customers/{customer_id}/interactions", json=body
                )
            except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError):
                # Refused: a connection still in the listen backlog when the server closed
                # its socket is reset without a response. That no such request was
                # processed is checked below against the database.
                return
            except httpx.HTTPError as error:
                failures.append(f"{type(error).__name__}: {error}")
                return
            if response.status_code != 201:
                failures.append(f"{response.status_code}: {response.text[:200]}")
                return
            recorded.append(response.json()["id"])


async def test_sigterm_under_load_completes_accepted_requests_and_flushes_their_events(
    mongo_url: str, mongo_db_name: str, amqp_url: str, tmp_path: Path
) -> None:
    keys = SigningKeys.generate()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    exchange = unique_name("crm.test.shutdown")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env |= {
        "CRM_PROFILE": "development",  # its development PII keys
        "CRM_HTTP_PORT": str(port),
        "CRM_MONGO_URL": mongo_url,
        "CRM_MONGO_DB": mongo_db_name,
        "CRM_AMQP_URL": amqp_url,
        "CRM_EVENTS__EXCHANGE": exchange,
        "CRM_SERVICE_NAME": unique_name("customer"),
        "CRM_JWT_PUBLIC_KEY": keys.public_pem,
        "CRM_SHUTDOWN_GRACE_SECONDS": "15",
        "CRM_LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path / "customer.log"
    log = log_path.open("w")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "customer", env=env, stdout=log, stderr=subprocess.STDOUT
    )
    connection = await aio_pika.connect_robust(amqp_url)
    try:
        await wait_until(lambda: _ready(url), timeout=60.0)
        channel = await connection.channel()
        events_exchange = await channel.get_exchange(exchange, ensure=True)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(events_exchange, routing_key="#")

        token = keys.token(Role.ADMIN, subject="load-tester")
        async with httpx.AsyncClient(headers=auth_header(token)) as client:
            customer = await client.post(
                f"{url}/api/v1/customers",
                json={"name": "Li Lei", "email": "li.lei@example.com", "phone": "13800138000"},
            )
        assert customer.status_code == 201, customer.text
        customer_id = customer.json()["id"]
        created: list[str] = []
        failures: list[str] = []
        load = [
            asyncio.create_task(_send_until_refused(url, token, customer_id, created, failures))
            for _ in range(WORKERS)
        ]

        async def under_steady_load() -> bool:
            return len(created) >= ACCEPTED_BEFORE_SIGTERM or bool(failures)

        await wait_until(under_steady_load, timeout=60.0)
        accepted_before_sigterm = len(created)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(asyncio.gather(*load), timeout=60.0)
        exit_code = await asyncio.wait_for(process.wait(), timeout=60.0)

        assert failures == []
        assert accepted_before_sigterm >= ACCEPTED_BEFORE_SIGTERM
        assert len(created) > accepted_before_sigterm, "requests in flight at SIGTERM finished"
        # uvicorn re-raises the signal once it has shut down cleanly (exit status 143).
        assert exit_code in (0, -signal.SIGTERM)

        published: set[str] = set()

        async def every_write_has_its_event() -> bool:
            while (message := await queue.get(no_ack=True, fail=False)) is not None:
                data = json.loads(message.body).get("data") or {}
                published.add(data.get("interaction_id") or "")
            return set(created) <= published

        await wait_until(every_write_has_its_event, timeout=10.0)

        # Every write the service made was answered: none was processed and then lost.
        mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
        try:
            stored = await mongo[mongo_db_name]["timeline"].count_documents(
                {"customer_id": customer_id, "summary": "Follow-up call"}
            )
        finally:
            await mongo.close()
        assert stored == len(created)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await connection.close()
        log.close()
        sys.stderr.write(log_path.read_text()[-4000:])  # pytest shows it when the test fails


def test_the_deployments_stop_signal_is_the_one_the_service_drains_on() -> None:
    # The image's STOPSIGNAL is what the kubelet sends after preStop; the gateway and every
    # service are built from the one Python Dockerfile.
    assert "STOPSIGNAL SIGTERM" in (ROOT / "deploy" / "python-service.Dockerfile").read_text()
    # The console's nginx finishes its requests in flight on SIGQUIT (SIGTERM is its fast
    # shutdown, which drops them), within worker_shutdown_timeout.
    assert "STOPSIGNAL SIGQUIT" in (ROOT / "console" / "Dockerfile").read_text()
    assert "worker_shutdown_timeout" in (ROOT / "console" / "deploy" / "nginx.conf").read_text()
