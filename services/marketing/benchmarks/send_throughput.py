"""Benchmark: messages per second rendered and handed to SMTP for one campaign.

Starts local MongoDB-protocol, RabbitMQ and SMTP capture servers (crm_localinfra),
seeds N customers into the projection, sends one campaign to all of them through
the real app and prints the throughput. Run:

    uv run python services/marketing/benchmarks/send_throughput.py [--recipients 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from crm_chassis.testing import SigningKeys, auth_header, unique_name, wait_until
from crm_contracts.access import Role
from crm_localinfra.infra import LocalInfra
from crm_localinfra.ports import free_port
from marketing.app import create_app
from marketing.settings import Settings
from marketing.store import CUSTOMERS

TIERS = ("svip", "vip", "normal", "normal", "normal")


def _customer(n: int) -> dict[str, Any]:
    return {
        "_id": f"bench-{n:06d}",
        "name": f"Customer {n}",
        "email": f"customer{n}@bench.example.org",
        "tier": TIERS[n % len(TIERS)],
        "region": "north",
        "tags": ["bench"],
        "total_consumption": Decimal("100.00"),
    }


async def _post(client: httpx.AsyncClient, path: str, body: Any, headers: dict[str, str]) -> Any:
    response = await client.post(path, json=body, headers=headers)
    response.raise_for_status()
    return response.json()


@contextmanager
def capture_server() -> Iterator[tuple[int, Path]]:
    """The SMTP capture server in a process of its own, as in ``make run`` (in-process it
    would share the interpreter lock with the sender being measured)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="marketing-bench-mail-") as folder:
        command = [
            sys.executable,
            "-m",
            "crm_localinfra.smtp",
            "--port",
            str(port),
            "--dir",
            folder,
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
        try:
            assert process.stdout is not None
            process.stdout.readline()  # READY
            yield port, Path(folder)
        finally:
            process.terminate()
            process.wait(timeout=10)


async def run(recipients: int, connections: int, batch: int) -> None:
    with LocalInfra(mongo=True, rabbitmq=True) as infra, capture_server() as (smtp_port, mail):
        keys = SigningKeys.generate()
        settings = Settings(
            profile="development",  # a tracking secret of its own, made up at random
            service_name=unique_name("marketing_bench"),
            jwt_public_key=keys.public_pem,
            mongo_url=infra.mongo().url,
            mongo_db="marketing_bench",
            amqp_url=infra.rabbitmq().url,
            smtp={"host": "127.0.0.1", "port": smtp_port},
            smtp_connections=connections,
            send_batch_size=batch,
            send_rate_per_minute=1_000_000,
            send_poll_seconds=0.05,
            metrics_interval_seconds=5,
        )
        app = create_app(settings)
        headers = auth_header(keys.token(Role.MARKETER, subject="bench", team="bench"))
        async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60):
            runtime = app.state.runtime
            documents = [_customer(n) for n in range(recipients)]
            for start in range(0, recipients, 1000):
                await runtime.db[CUSTOMERS].insert_many(documents[start : start + 1000])
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                segment = await _post(
                    client,
                    "/api/v1/segments",
                    {"name": "all", "rules": {"tags_any": ["bench"]}},
                    headers,
                )
                template = await _post(
                    client,
                    "/api/v1/email-templates",
                    {
                        "name": "bench",
                        "subject": "Hello {{ customer_name }}",
                        "html": "<p>Dear {{ customer_name }} ({{ tier }}),</p>"
                        '<p><a href="https://shop.example.org/">Shop</a></p>',
                    },
                    headers,
                )
                campaign = await _post(
                    client,
                    "/api/v1/campaigns",
                    {
                        "name": "bench",
                        "channels": ["email"],
                        "budget": "1000",
                        "segment_id": segment["id"],
                        "template_id": template["id"],
                    },
                    headers,
                )
                await _post(
                    client,
                    f"/api/v1/campaigns/{campaign['id']}/status",
                    {"status": "preparing"},
                    headers,
                )
                started = time.perf_counter()
                await _post(client, f"/api/v1/campaigns/{campaign['id']}/deliveries", None, headers)
                queued_at = time.perf_counter()
                deliveries = runtime.db["deliveries"]

                async def drained() -> bool:
                    pending = {"status": {"$in": ["queued", "sending"]}}
                    return await deliveries.count_documents(pending) == 0

                await wait_until(drained, timeout=3600, interval=0.2, what="queue drained")
                finished = time.perf_counter()
        captured = len(list(mail.glob("*.eml")))
    sending = finished - queued_at
    sys.stdout.write(
        f"recipients: {recipients}, captured by SMTP: {captured}\n"
        f"queueing the audience: {queued_at - started:.1f} s\n"
        f"rendering + SMTP hand-off: {sending:.1f} s = {recipients / sending:.0f} messages/s\n"
        f"end to end: {recipients / (finished - started):.0f} messages/s "
        f"(smtp_connections={connections}, send_batch_size={batch}, "
        f"{datetime.now(UTC):%Y-%m-%d})\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.recipients, args.connections, args.batch))


if __name__ == "__main__":
    main()
