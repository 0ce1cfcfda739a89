"""The results of a run: printed table, JSON and a chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

CORE_WRITES = {
    "create customer",
    "capture lead",
    "update opportunity",
    "create ticket",
    "create opportunity",
}
STANDARD_P99_MS = 500.0
CORE_WRITE_P99_MS = 200.0
EVENT_LAG_P99_MS = 250.0


def target_of(operation: str) -> float:
    return CORE_WRITE_P99_MS if operation in CORE_WRITES else STANDARD_P99_MS


def render_table(results: dict[str, Any]) -> str:
    refs = results["references"]
    lines = [
        f"machine: {results['machine']}",
        f"reference  database round trip p50/p99: {refs['database']['p50_ms']} / "
        f"{refs['database']['p99_ms']} ms",
        f"reference  broker publish-to-consume p50/p99: {refs['broker']['p50_ms']} / "
        f"{refs['broker']['p99_ms']} ms",
        "",
        "single request, no load (ms)        direct p50/p99     gateway p50/p99",
    ]
    for name, figures in refs["requests"].items():
        direct, gateway = figures["direct"], figures["gateway"]
        lines.append(
            f"  {name:<32} {direct['p50_ms']:>7.1f} {direct['p99_ms']:>7.1f}   "
            f"{gateway['p50_ms']:>7.1f} {gateway['p99_ms']:>7.1f}"
        )
    for step in results["steps"]:
        lines += [
            "",
            f"{step['users']} concurrent users ({step['seconds']} s after ramp-up)",
            f"  {'operation':<22}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
            f"{'target':>8}{'x direct p99':>14}{'errors':>9}",
        ]
        for name, op in sorted(step["operations"].items(), key=lambda kv: kv[0] == "total"):
            direct = refs["requests"].get(name, {}).get("direct", {}).get("p99_ms")
            ratio = f"{op['p99_ms'] / direct:.1f}" if direct else "-"
            target = "-" if name == "total" else f"{target_of(name):.0f}"
            lines.append(
                f"  {name:<22}{op['rps']:>8.1f}{op['p50_ms']:>8.0f}{op['p95_ms']:>8.0f}"
                f"{op['p99_ms']:>8.0f}{target:>8}{ratio:>14}{op['error_rate']:>9.2%}"
            )
        memory = ", ".join(f"{k} {v:.0f}" for k, v in sorted(step["memory_mib"].items()))
        lines.append(f"  peak resident memory (MiB): {memory}")
        lines += cpu_lines(step)
        lines += host_line(step, results["steps"][0])
    lag = results.get("event_lag")
    if lag:
        broker_p99 = refs["broker"]["p99_ms"] or 1.0
        lines += [
            "",
            f"event lag (gateway write acknowledged -> analytics read model) at "
            f"{lag['achieved_rate']} events/s (target {lag['target_rate']}): "
            f"p50 {lag['p50_ms']} ms, p99 {lag['p99_ms']} ms "
            f"(target {EVENT_LAG_P99_MS:.0f}; {lag['p99_ms'] / broker_p99:.1f} x broker p99); "
            f"writes {lag['writes']}, failed {lag['write_failures']}, not seen {lag['not_seen']}",
        ]
        if lag.get("counted_beyond_writes"):
            lines.append(
                f"  NOT VALID: {lag['counted_beyond_writes']} more customers counted than "
                "written; earlier steps' events were still arriving, so these lags are too short"
            )
        lines += host_line(lag, results["steps"][0]) if results["steps"] else []
        if lag.get("write_failures_by_reason"):
            reasons = ", ".join(
                f"{k}: {v}" for k, v in sorted(lag["write_failures_by_reason"].items())
            )
            lines.append(f"  failed writes by status or error: {reasons}")
    return "\n".join(lines)


def cpu_lines(step: dict[str, Any]) -> list[str]:
    """Where the cores went in the measured window: each process's share of one core
    and its CPU time per request served."""
    cores = dict(step.get("cpu_cores", {}))
    machine = cores.pop("machine", None)
    rps = step["operations"].get("total", {}).get("rps", 0.0)
    if machine is None or not rps:
        return []
    shares = ", ".join(
        f"{name} {share:.0%} ({1000 * share / rps:.1f})"
        for name, share in sorted(cores.items(), key=lambda item: -item[1])
    )
    return [
        f"  CPU busy {machine:.0%} of one core, {1000 * machine / rps:.1f} ms per request; "
        "by process, share of one core (ms per request):",
        f"    {shares}",
    ]


def host_line(measured: dict[str, Any], first: dict[str, Any]) -> list[str]:
    """The host's speed before this measurement, against the run's first step: the CPU
    per request of every process moves with it."""
    host, baseline = measured.get("host_cpu_ms"), first.get("host_cpu_ms")
    if not host or not baseline:
        return []
    return [
        f"  host reference before it: {host:.1f} ms of CPU for a fixed Python workload "
        f"({host / baseline:.2f} x the first step's)"
    ]


def write_json(results: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, sort_keys=True))


def write_chart(results: dict[str, Any], path: Path) -> None:
    steps = results["steps"]
    users = [step["users"] for step in steps]
    names = sorted({name for step in steps for name in step["operations"] if name != "total"})
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(13, 5))
    for name in names:
        p99 = [step["operations"].get(name, {}).get("p99_ms", float("nan")) for step in steps]
        latency.plot(users, p99, marker="o", label=name)
    latency.axhline(STANDARD_P99_MS, color="grey", linestyle="--", label="standard target")
    latency.axhline(CORE_WRITE_P99_MS, color="red", linestyle=":", label="core write target")
    latency.set(xlabel="concurrent users", ylabel="p99 latency (ms)", yscale="log")
    latency.set_title("p99 latency per operation through the gateway")
    latency.legend(fontsize=7)
    total_rps = [step["operations"].get("total", {}).get("rps", 0.0) for step in steps]
    errors = [100 * step["operations"].get("total", {}).get("error_rate", 0.0) for step in steps]
    throughput.plot(users, total_rps, marker="o", label="requests/s")
    throughput.set(xlabel="concurrent users", ylabel="requests/s")
    throughput.set_title("throughput and error rate")
    rate_axis = throughput.twinx()
    rate_axis.plot(users, errors, marker="x", color="red", label="errors %")
    rate_axis.set_ylabel("errors (%)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
