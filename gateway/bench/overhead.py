"""Gateway overhead: the same GET straight to a service and through the gateway.

Starts MongoDB-protocol, RabbitMQ and Redis locally (or uses CRM_BENCH_MONGO_URL,
CRM_BENCH_AMQP_URL, CRM_BENCH_REDIS_URL), a small chassis service and the gateway
as separate uvicorn processes on loopback, then measures, in one run:

- latency p50/p99 of sequential requests (one connection, keep-alive), and
- throughput (requests/s) with ``--concurrency`` connections for ``--seconds``,

for both paths, and prints the gateway's added latency and kept throughput
(goals: under 2 ms added at p50, at least 70 % of direct throughput). The request
is authenticated (token verified, deny-list and rate limit checked in Redis,
permission checked) exactly as in production.

    uv run python gateway/bench/overhead.py [--requests 2000] [--concurrency 16] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from typing import Annotated

import httpx
from fastapi import APIRouter

from crm_chassis.auth import Principal, allowed
from crm_chassis.service import ServiceDefinition, create_service_app, run_service
from crm_chassis.settings import ServiceSettings
from crm_chassis.testing import SigningKeys, free_port
from crm_contracts.access import Permission, Role
from crm_localinfra.infra import LocalInfra
from gateway.app import create_app
from gateway.domain.tokens import TokenIssuer
from gateway.settings import Settings

PATH = "/api/v1/bench-items"


def _serve_upstream(port: int) -> None:

    from crm_chassis.service import run_service

    router = APIRouter()

    @router.get(PATH)
    async def items(
        principal: Annotated[Principal, allowed(Permission.CUSTOMERS_READ)],
    ) -> dict[str, object]:
        return {"items": [{"id": f"c{n}", "name": f"Customer {n}"} for n in range(5)], "total": 5}

    settings = ServiceSettings(service_name="bench_upstream", http_port=port, log_level="WARNING")
    run_service(create_service_app(ServiceDefinition("bench", [router]), settings), settings)


def _serve_gateway(port: int) -> None:
    settings = Settings(http_port=port, log_level="WARNING")
    run_service(create_app(settings), settings)


def _wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready")


async def _latencies(url: str, token: str, count: int) -> list[float]:
    samples = []
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = await client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
    return samples


async def _throughput(url: str, token: str, concurrency: int, seconds: float) -> float:
    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, limits=limits
    ) as client:

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                response = await client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code}")
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done / (time.perf_counter() - started)


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--serve", choices=["upstream", "gateway"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve == "upstream":
        _serve_upstream(args.port)
        return
    if args.serve == "gateway":
        _serve_gateway(args.port)
        return

    keys = SigningKeys.generate()
    with ExitStack() as stack:
        urls = {
            kind: os.environ.get(f"CRM_BENCH_{kind.upper()}_URL")
            for kind in ("mongo", "amqp", "redis")
        }
        if not all(urls.values()):
            infra = stack.enter_context(LocalInfra(mongo=True, rabbitmq=True, redis=True))
            urls = {
                "mongo": infra.mongo().url,
                "amqp": infra.rabbitmq().url,
                "redis": infra.redis().url,
            }
        upstream_port, gateway_port = free_port(), free_port()
        env = {
            **os.environ,
            "CRM_MONGO_URL": str(urls["mongo"]),
            "CRM_AMQP_URL": str(urls["amqp"]),
            "CRM_REDIS_URL": str(urls["redis"]),
            "CRM_JWT_PUBLIC_KEY": keys.public_pem,
            "CRM_JWT_PRIVATE_KEY": keys.private_pem,
            "CRM_MONGO_DB": f"bench_{os.getpid()}",
            "CRM_PROFILE": "development",  # its development administrator
            "CRM_EVENTS__EXCHANGE": f"bench.{os.getpid()}",
            "CRM_SERVICE_URLS__CUSTOMER": f"http://127.0.0.1:{upstream_port}",
            "CRM_SERVICE_URLS__SALES": "",
            "CRM_SERVICE_URLS__MARKETING": "",
            "CRM_SERVICE_URLS__SUPPORT": "",
            "CRM_SERVICE_URLS__ANALYTICS": "",
            "CRM_RATE_LIMITS__DEFAULT": "100000000",
        }
        processes = []
        for role, port in (("upstream", upstream_port), ("gateway", gateway_port)):
            process = subprocess.Popen(  # noqa: S603 - this very script, with fixed arguments
                [sys.executable, __file__, "--serve", role, "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
            )
            processes.append(process)
            stack.callback(process.wait, 30)
            stack.callback(process.terminate)
            _wait_ready(f"http://127.0.0.1:{port}/readyz")
        issuer = TokenIssuer(
            keys.private_pem,
            keys.public_pem,
            issuer="crm-gateway",
            audience="crm",
            access_ttl=timedelta(minutes=15),
        )
        token = issuer.issue_access(
            subject="bench-user", kind="user", roles=[Role.SALES_REP], team=None
        ).token
        targets = {
            "direct": f"http://127.0.0.1:{upstream_port}{PATH}",
            "gateway": f"http://127.0.0.1:{gateway_port}{PATH}",
        }
        results = asyncio.run(_measure(targets, token, args))
    _report(results, args)


async def _measure(
    targets: dict[str, str], token: str, args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name, url in targets.items():
        await _latencies(url, token, 200)  # warm-up: connections, caches
        samples = await _latencies(url, token, args.requests)
        rate = await _throughput(url, token, args.concurrency, args.seconds)
        results[name] = {
            "p50": statistics.median(samples),
            "p99": _percentile(samples, 0.99),
            "rps": rate,
        }
    return results


def _report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    print(f"GET {PATH}: {args.requests} sequential requests, then {args.concurrency} "  # noqa: T201
          f"connections for {args.seconds:.0f} s, on loopback")  # fmt: skip
    print(f"{'path':<10}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>10}")  # noqa: T201
    for name, figures in results.items():
        print(  # noqa: T201
            f"{name:<10}{figures['p50']:>10.2f}{figures['p99']:>10.2f}{figures['rps']:>10.0f}"
        )
    added = results["gateway"]["p50"] - results["direct"]["p50"]
    kept = results["gateway"]["rps"] / results["direct"]["rps"] * 100
    print(  # noqa: T201
        f"gateway adds {added:.2f} ms at p50 (goal < 2 ms) and keeps {kept:.0f} % "
        f"of direct throughput (goal >= 70 %)"
    )


if __name__ == "__main__":
    main()
