"""``make bench``: start the platform as processes, measure references, load it, report.

python -m crm_bench --users 50,200,500,1000 --seconds 30 --out bench/results
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from crm_bench.lag import measure_event_lag
from crm_bench.load import run_step
from crm_bench.references import (
    Probe,
    broker_round_trip,
    database_round_trip,
    host_cpu_ms,
    request_latency,
)
from crm_bench.report import render_table, write_chart, write_json
from crm_bench.stack import SERVICES, Stack, running_stack
from crm_contracts.access import Role


def seed_customers(stack: Stack, token: str, count: int) -> list[str]:
    ids = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=stack.gateway_url, headers=headers, timeout=10.0) as client:
        for number in range(count):
            response = client.post(
                "/api/v1/customers", json={"name": f"Seed customer {number}", "region": "Beijing"}
            )
            response.raise_for_status()
            customer_id = response.json()["id"]
            client.post(
                f"/api/v1/customers/{customer_id}/interactions",
                json={
                    "channel": "call",
                    "occurred_at": datetime.now(UTC).isoformat(),
                    "summary": "First call",
                },
            ).raise_for_status()
            ids.append(customer_id)
    return ids


def reference_requests(stack: Stack, customer_id: str, samples: int) -> dict[str, Any]:
    """Each operation of the mix, one at a time, straight to its service and via the gateway."""
    rep = stack.keys.token(Role.SALES_REP, subject="bench-reference-rep", team="team-1")
    agent = stack.keys.token(Role.SUPPORT_AGENT, subject="bench-reference-agent")
    analyst = stack.keys.token(Role.ANALYST, subject="bench-reference-analyst")
    with httpx.Client(
        base_url=stack.gateway_url, headers={"Authorization": f"Bearer {rep}"}, timeout=10
    ) as client:
        own = client.post("/api/v1/customers", json={"name": "Reference customer"})
        own.raise_for_status()
        opportunity = client.post(
            "/api/v1/opportunities",
            json={"name": "Reference deal", "customer_id": own.json()["id"], "amount": "10.00"},
        )
        opportunity.raise_for_status()
    own_id = own.json()["id"]
    probes = [
        (Probe("read customer", "customer", "GET", f"/api/v1/customers/{customer_id}"), agent),
        (
            Probe("read timeline", "customer", "GET", f"/api/v1/customers/{own_id}/timeline"),
            rep,
        ),
        (Probe("list customers", "customer", "GET", "/api/v1/customers?limit=20"), rep),
        (
            Probe("create customer", "customer", "POST", "/api/v1/customers", {"name": "Ref"}),
            rep,
        ),
        (Probe("capture lead", "sales", "POST", "/api/v1/leads", {"name": "Ref lead"}), rep),
        (
            Probe(
                "update opportunity",
                "sales",
                "PATCH",
                f"/api/v1/opportunities/{opportunity.json()['opportunity_id']}",
                {"amount": "20.00"},
                if_match=True,
            ),
            rep,
        ),
        (
            Probe(
                "create ticket",
                "support",
                "POST",
                "/api/v1/tickets",
                {"subject": "Ref", "description": "Reference ticket", "customer_id": customer_id},
            ),
            agent,
        ),
        (Probe("read dashboard", "analytics", "GET", "/api/v1/dashboards/main"), analyst),
    ]
    figures: dict[str, Any] = {}
    for probe, token in probes:
        direct = request_latency(stack.service_url(probe.service), probe, token, samples)
        gateway = request_latency(stack.gateway_url, probe, token, samples)
        figures[probe.name] = {"direct": direct, "gateway": gateway}
    return figures


def run(args: argparse.Namespace) -> dict[str, Any]:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    gateway_env = {
        "CRM_UPSTREAM__MAX_CONNECTIONS": "400",
        "CRM_UPSTREAM__MAX_KEEPALIVE_CONNECTIONS": "200",
    }
    with running_stack(logs, gateway_env=gateway_env) as stack:
        admin = stack.keys.token(Role.ADMIN, subject="bench-admin")
        references: dict[str, Any] = {
            "database": database_round_trip(stack.mongo_url),
            "broker": broker_round_trip(stack.amqp_url),
        }
        customers = seed_customers(stack, admin, args.seed)
        references["requests"] = reference_requests(stack, customers[0], args.samples)
        ports = {name: app.port for name, app in stack.apps.items()}
        ports.update(
            {
                "mongo": int(stack.mongo_url.rsplit(":", 1)[1]),
                "rabbitmq": stack.infra.rabbitmq().port,
                "redis": stack.infra.redis().port,
            }
        )
        steps = []
        for users in args.users:
            host = host_cpu_ms()
            step = run_step(
                host=stack.gateway_url,
                users=users,
                seconds=args.seconds,
                spawn_rate=args.spawn_rate,
                private_key=stack.keys.private_pem,
                seed={"customers": customers},
                folder=out,
                think=(args.think_min, args.think_max),
                ports=ports,
            )
            steps.append({**step, "host_cpu_ms": host})
        writers = [
            stack.keys.token(Role.INTEGRATION, subject=f"bench-writer-{n}", kind="client")
            for n in range(40)
        ]
        lag_host = host_cpu_ms()
        lag = asyncio.run(
            measure_event_lag(
                stack.gateway_url,
                stack.service_url("analytics"),
                writers,
                stack.keys.token(Role.ANALYST, subject="bench-lag-reader"),
                rate=args.event_rate,
                seconds=args.lag_seconds,
            )
        )
    return {
        "started_at": args.started_at,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, {' + '.join(SERVICES)} + gateway as processes",
        "think_seconds": [args.think_min, args.think_max],
        "references": references,
        "steps": steps,
        "event_lag": {**lag, "host_cpu_ms": lag_host},
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="crm_bench", description=__doc__)
    parser.add_argument(
        "--users", type=lambda s: [int(n) for n in s.split(",")], default=[50, 200, 500, 1000]
    )
    parser.add_argument("--seconds", type=int, default=30, help="measured time per step")
    # Each sales rep creates a customer and an opportunity as it starts: at 50 users/s
    # that burst of writes, not the steady mix, set the latencies of the measured window.
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started per s")
    parser.add_argument("--think-min", type=float, default=3.0)
    parser.add_argument("--think-max", type=float, default=7.0)
    parser.add_argument("--seed", type=int, default=200, help="customers created before load")
    parser.add_argument("--samples", type=int, default=100, help="reference requests per op")
    parser.add_argument("--event-rate", type=float, default=200.0)
    parser.add_argument("--lag-seconds", type=float, default=15.0)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    args.started_at = datetime.now(UTC).isoformat(timespec="seconds")
    results = run(args)
    write_json(results, args.out / "results.json")
    write_chart(results, args.out / "latency.png")
    table = render_table(results)
    (args.out / "summary.txt").write_text(table + "\n")


if __name__ == "__main__":
    main()
