"""Import throughput (C-8): rows per second for 5,000 and 100,000-row CSV files.

Runs the real app in-process against local servers (MongoDB-protocol server and
RabbitMQ from ``crm_localinfra``) and prints figures; it asserts nothing.

    uv run python services/customer/benchmarks/import_throughput.py [rows ...]
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid

import httpx
from asgi_lifespan import LifespanManager

from crm_chassis.testing import SigningKeys, auth_header
from crm_contracts.access import Role
from crm_localinfra.infra import LocalInfra
from customer.app import create_app
from customer.settings import Settings


def csv_file(rows: int, prefix: str, first: int = 0) -> bytes:
    """``rows`` valid rows; phones are numbered from ``first`` so files do not clash."""
    lines = ["name,email,phone,company,region,tags"]
    lines += [
        f"Bench {prefix} {n},{prefix}.{n}@example.org,13{n % 7 + 3}{n:08d},Company {n % 97},"
        f"Region {n % 31},bench;import"
        for n in range(first, first + rows)
    ]
    return ("\n".join(lines) + "\n").encode()


async def run(sizes: list[int], mongo_url: str, amqp_url: str) -> None:
    keys = SigningKeys.generate()
    settings = Settings(
        profile="development",  # its development PII keys
        service_name=f"customer_bench_{uuid.uuid4().hex[:6]}",
        jwt_public_key=keys.public_pem,
        mongo_url=mongo_url,
        mongo_db=f"bench_{uuid.uuid4().hex[:8]}",
        amqp_url=amqp_url,
        events={"exchange": f"bench_{uuid.uuid4().hex[:8]}", "stop_timeout_seconds": 1},
    )
    app = create_app(settings)
    headers = auth_header(keys.token(Role.ADMIN, subject="bench"))
    transport = httpx.ASGITransport(app=app)
    async with (
        LifespanManager(app, startup_timeout=60),
        httpx.AsyncClient(transport=transport, base_url="http://customer", timeout=600) as client,
    ):
        first = 0
        for rows in sizes:
            content = csv_file(rows, uuid.uuid4().hex[:6], first)
            first += rows
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/customer-imports",
                files={"file": ("bench.csv", content)},
                headers=headers,
            )
            url = response.headers["location"]
            while True:
                job = (await client.get(url, headers=headers)).json()
                if job["state"] in {"completed", "failed"}:
                    break
                await asyncio.sleep(0.2)
            elapsed = time.perf_counter() - started
            print(  # noqa: T201 (a benchmark prints its figures)
                f"{rows:>7} rows: {job['state']}, validated in {job['validation_seconds']} s, "
                f"written in {job.get('writing_seconds')} s, "
                f"stored in {elapsed:.2f} s end to end, {rows / elapsed:,.0f} rows/s"
                + (
                    f" ({job.get('reason')}: {job['errors'][:3]})"
                    if job["state"] == "failed"
                    else ""
                )
            )


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [5_000, 100_000]
    with LocalInfra() as infra:
        asyncio.run(run(sizes, str(infra.mongo().url), str(infra.rabbitmq().url)))


if __name__ == "__main__":
    main()
