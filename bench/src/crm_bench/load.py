"""One load step: Locust headless as its own process, plus the memory of every process."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import psutil

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def resident_memory_mib(ports: dict[str, int]) -> dict[str, float]:
    """Resident memory of the process (with its children) listening on each port."""
    listeners = {
        conn.laddr.port: conn.pid
        for conn in psutil.net_connections(kind="tcp")
        if conn.status == psutil.CONN_LISTEN and conn.pid is not None
    }
    memory = {}
    for name, port in ports.items():
        pid = listeners.get(port)
        if pid is None:
            continue
        try:
            process = psutil.Process(pid)
            tree = [process, *process.children(recursive=True)]
            memory[name] = round(sum(p.memory_info().rss for p in tree) / 1_048_576, 1)
        except psutil.Error:
            continue
    return memory


class MemorySampler:
    """The peak resident memory per process while a step runs."""

    def __init__(self, ports: dict[str, int], interval: float = 2.0) -> None:
        self.ports = ports
        self.interval = interval
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            for name, mib in resident_memory_mib(self.ports).items():
                self.peak[name] = max(self.peak.get(name, 0.0), mib)
            if self._stop.wait(self.interval):
                return


def run_step(
    *,
    host: str,
    users: int,
    seconds: int,
    spawn_rate: float,
    private_key: str,
    seed: dict[str, Any],
    folder: Path,
    think: tuple[float, float],
) -> dict[str, Any]:
    """Ramp to ``users`` (stats reset once all are spawned), hold ``seconds``, summarise."""
    prefix = folder / f"locust_{users}"
    env = {
        **os.environ,
        "BENCH_PRIVATE_KEY": private_key,
        "BENCH_SEED": json.dumps(seed),
        "BENCH_THINK_MIN": str(think[0]),
        "BENCH_THINK_MAX": str(think[1]),
    }
    ramp = users / spawn_rate
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--host", host, "-u", str(users), "-r", str(spawn_rate),
        "-t", f"{int(ramp + seconds)}s", "--reset-stats", "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    with (folder / f"locust_{users}.log").open("wb") as log:
        subprocess.run(command, env=env, stdout=log, stderr=log, check=False)  # noqa: S603
    return parse_stats(prefix.with_name(prefix.name + "_stats.csv"))


def parse_stats(path: Path) -> dict[str, Any]:
    operations: dict[str, dict[str, float]] = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            name = "total" if row["Name"] == "Aggregated" else row["Name"]
            requests = float(row["Request Count"])
            operations[name] = {
                "requests": requests,
                "failures": float(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "error_rate": round(float(row["Failure Count"]) / requests, 4) if requests else 0.0,
            }
    return operations
