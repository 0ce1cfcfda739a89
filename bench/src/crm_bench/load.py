"""One load step: Locust headless as its own process, plus the memory and CPU of every
process."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def listeners(ports: dict[str, int]) -> dict[str, psutil.Process]:
    """The process listening on each port."""
    pids = {
        conn.laddr.port: conn.pid
        for conn in psutil.net_connections(kind="tcp")
        if conn.status == psutil.CONN_LISTEN and conn.pid is not None
    }
    found = {}
    for name, port in ports.items():
        pid = pids.get(port)
        if pid is not None:
            with contextlib.suppress(psutil.Error):
                found[name] = psutil.Process(pid)
    return found


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def resident_memory_mib(process: psutil.Process) -> float:
    """Resident memory of a process with its children."""
    total = 0
    for member in _tree(process):
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return round(total / 1_048_576, 1)


def cpu_seconds(process: psutil.Process) -> float:
    """User and system CPU time of a process with its children so far."""
    total = 0.0
    for member in _tree(process):
        with contextlib.suppress(psutil.Error):
            times = member.cpu_times()
            total += times.user + times.system
    return total


def _locust() -> dict[str, psutil.Process]:
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if "locust" in child.cmdline():
                return {"locust": child}
    return {}


class ProcessSampler:
    """While a step runs: the peak resident memory of every process, and the CPU time
    each spends in the measured window (from ``window_start`` s after entering, for
    ``window_seconds``), which says where the cores go."""

    def __init__(
        self,
        ports: dict[str, int],
        *,
        window_start: float,
        window_seconds: float,
        interval: float = 2.0,
    ) -> None:
        self.ports = ports
        self.interval = interval
        self.window = (window_start, window_start + window_seconds)
        self.peak: dict[str, float] = {}
        self.cpu_cores: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProcessSampler:
        self._began = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        marks: list[tuple[float, dict[str, float]]] = []
        while True:
            processes = {**listeners(self.ports), **_locust()}
            for name, process in processes.items():
                self.peak[name] = max(self.peak.get(name, 0.0), resident_memory_mib(process))
            elapsed = time.monotonic() - self._began
            if len(marks) < len(self.window) and elapsed >= self.window[len(marks)]:
                marks.append((elapsed, self._cpu(processes)))
                if len(marks) == len(self.window):
                    self._record(marks)
            wait = self.interval
            if len(marks) < len(self.window):
                wait = min(wait, self.window[len(marks)] - elapsed)
            if self._stop.wait(max(wait, 0.0)):
                return

    @staticmethod
    def _cpu(processes: dict[str, psutil.Process]) -> dict[str, float]:
        machine = psutil.cpu_times()
        return {
            **{name: cpu_seconds(process) for name, process in processes.items()},
            "machine": machine.user + machine.system + machine.nice + machine.irq
            + machine.softirq,
        }  # fmt: skip

    def _record(self, marks: list[tuple[float, dict[str, float]]]) -> None:
        (began, before), (ended, after) = marks
        for name, seconds in after.items():
            if name in before:
                self.cpu_cores[name] = round((seconds - before[name]) / (ended - began), 3)


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
    ports: dict[str, int],
) -> dict[str, Any]:
    """Ramp to ``users`` (stats reset once all are spawned), hold ``seconds``, summarise:
    the operations' figures, and the memory and CPU of the processes listening on
    ``ports`` (and of Locust)."""
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
    with (
        (folder / f"locust_{users}.log").open("wb") as log,
        ProcessSampler(ports, window_start=ramp, window_seconds=seconds) as sampler,
    ):
        subprocess.run(command, env=env, stdout=log, stderr=log, check=False)  # noqa: S603
    return {
        "users": users,
        "seconds": seconds,
        "operations": parse_stats(prefix.with_name(prefix.name + "_stats.csv")),
        "memory_mib": sampler.peak,
        "cpu_cores": sampler.cpu_cores,
    }


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
