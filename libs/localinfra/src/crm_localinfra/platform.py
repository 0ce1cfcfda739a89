"""``python -m crm_localinfra run`` / ``stop``: the whole platform on this machine.

Starts the infrastructure (data under ``.local/data``), then the five services,
then the gateway, each as a process with its log in ``.local/logs`` and its pid
in ``.local/run``; waits for every ``/readyz``; stops everything, gateway first,
on Ctrl-C or SIGTERM, or when any process dies.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from crm_localinfra.infra import Server
from crm_localinfra.keys import ensure_jwt_keys
from crm_localinfra.local_secrets import ensure_local_secrets
from crm_localinfra.mongo import MongoServer
from crm_localinfra.platform_layout import (
    GATEWAY,
    HOST,
    LOCAL_ADMIN_EMAIL,
    SERVICES,
    InfraPorts,
    PlatformFolders,
    ServiceSpec,
    service_environment,
    service_port,
)
from crm_localinfra.ports import POLL_INTERVAL_SECONDS, wait_until
from crm_localinfra.processes import ManagedProcess, live_pid, stop_pid_file, write_pid_file
from crm_localinfra.rabbitmq import RabbitMQNode
from crm_localinfra.redis import RedisServer

READY_TIMEOUT_SECONDS = 90.0
SUPERVISOR_PID_FILE = "platform.pid"


class PlatformError(RuntimeError):
    pass


def _http_ready(port: int) -> bool:
    try:
        return httpx.get(f"http://{HOST}:{port}/readyz", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


class SmtpCaptureProcess:
    """The SMTP capture server as a child process (so ``stop`` can find it by pid file)."""

    def __init__(self, port: int, maildir: Path, log_file: Path, pid_file: Path) -> None:
        argv = [sys.executable, "-m", "crm_localinfra.smtp", "--host", HOST,
                "--port", str(port), "--dir", str(maildir)]  # fmt: skip
        self.port = port
        self.maildir = maildir
        self._process = ManagedProcess("smtp", argv, log_file=log_file, pid_file=pid_file)

    def start(self) -> None:
        self._process.start()
        wait_until(
            lambda: "READY smtp capture" in self._process.log_tail(5),
            timeout=30,
            what=f"SMTP capture on port {self.port}",
            abort=self._process.exit_reason,
        )

    def stop(self) -> None:
        self._process.stop()

    def is_running(self) -> bool:
        return self._process.is_running()


class Platform:
    def __init__(self, folders: PlatformFolders, ports: InfraPorts) -> None:
        self.folders = folders
        self.ports = ports
        self._infra: list[Server] = []
        self._apps: list[tuple[ServiceSpec, ManagedProcess]] = []

    def run(self) -> int:
        """Start everything, serve until a signal or a crash, stop everything."""
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        run_dir = self.folders.run
        if live_pid(run_dir / SUPERVISOR_PID_FILE) is not None:
            raise PlatformError("the platform is already running; stop it with `make stop`")
        _stop_leftovers(run_dir)
        write_pid_file(run_dir / SUPERVISOR_PID_FILE, os.getpid())
        try:
            self._start_infra()
            self._start_apps(SERVICES)
            self._start_apps((GATEWAY,))
            self._print_welcome()
            return self._supervise(stopping)
        finally:
            self.stop()
            (run_dir / SUPERVISOR_PID_FILE).unlink(missing_ok=True)

    def stop(self) -> None:
        for spec, process in reversed(self._apps):
            _say(f"stopping {spec.package}")
            process.stop()
        self._apps.clear()
        _say("stopping infrastructure")
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda server: server.stop(), self._infra))
        self._infra.clear()

    def _start_infra(self) -> None:
        f, p = self.folders, self.ports
        servers: list[Server] = [
            MongoServer(p.mongo, f.data / "mongo", h2_file=f.data / "mongo" / "crm.mv",
                        log_file=f.logs / "mongo.log", pid_file=f.run / "mongo.pid"),
            RabbitMQNode(p.rabbitmq, f.data / "rabbitmq", dist_port=p.rabbitmq_dist,
                         management_port=p.rabbitmq_management,
                         log_file=f.logs / "rabbitmq.log", pid_file=f.run / "rabbitmq.pid"),
            RedisServer(p.redis, f.data / "redis", persist=True,
                        log_file=f.logs / "redis.log", pid_file=f.run / "redis.pid"),
            SmtpCaptureProcess(p.smtp, f.mail, f.logs / "smtp.log", f.run / "smtp.pid"),
        ]  # fmt: skip
        self._infra = servers
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=len(servers)) as pool:
            for future in [pool.submit(server.start) for server in servers]:
                future.result()
        _say(f"infrastructure ready in {time.monotonic() - started:.1f} s")

    def _start_apps(self, specs: tuple[ServiceSpec, ...]) -> None:
        keys = ensure_jwt_keys(self.folders.keys)
        local = ensure_local_secrets(self.folders.keys)
        started = []
        for spec in specs:
            process = ManagedProcess(
                spec.package,
                [sys.executable, "-m", spec.package],
                log_file=self.folders.logs / f"{spec.package}.log",
                env={**os.environ, **service_environment(spec, self.ports, keys, local)},
                pid_file=self.folders.run / f"{spec.package}.pid",
            )
            process.start()
            self._apps.append((spec, process))
            started.append((spec, process))
        for spec, process in started:
            port = service_port(spec)
            try:
                wait_until(
                    lambda port=port: _http_ready(port),  # type: ignore[misc]
                    timeout=READY_TIMEOUT_SECONDS,
                    what=f"{spec.package} on port {port} (/readyz)",
                    abort=process.exit_reason,
                )
            except RuntimeError as problem:  # exited; the message holds its log tail
                raise PlatformError(str(problem)) from None
            except TimeoutError as problem:
                raise PlatformError(
                    f"{problem}\n--- end of {process.log_file}:\n{process.log_tail()}"
                ) from None
            _say(f"{spec.package} ready on http://{HOST}:{port}")

    def _supervise(self, stopping: threading.Event) -> int:
        while not stopping.wait(POLL_INTERVAL_SECONDS * 10):
            for spec, process in self._apps:
                reason = process.exit_reason()
                if reason is not None:
                    _say(f"{spec.package} stopped unexpectedly: {reason}")
                    return 1
        return 0

    def _print_welcome(self) -> None:
        gateway = f"http://{HOST}:{service_port(GATEWAY)}"
        password_file = self.folders.keys / "admin-password"
        _say(
            "\n".join(
                [
                    "",
                    f"CRM platform is up: open {gateway}/ (the console; the API is at "
                    f"{gateway}/api/v1, its docs at {gateway}/docs)",
                    f"Sign in as {LOCAL_ADMIN_EMAIL} with the password in {password_file}",
                    f"Mail sent by the platform is captured in {self.folders.mail}",
                    f"RabbitMQ management: http://{HOST}:{self.ports.rabbitmq_management}/ "
                    "(guest/guest)",
                    f"Logs: {self.folders.logs}.  Stop with Ctrl-C or `make stop`.",
                ]
            )
        )


def stop_platform(folders: PlatformFolders) -> bool:
    """Stop a platform started by ``run`` (from another shell); True if anything ran."""
    supervisor = folders.run / SUPERVISOR_PID_FILE
    found = stop_pid_file(supervisor, timeout=120, group=False)
    return _stop_leftovers(folders.run) or found


def _stop_leftovers(run_dir: Path) -> bool:
    """Stop processes a crashed supervisor left behind (their pid files remain)."""
    stopped = False
    for pid_file in sorted(run_dir.glob("*.pid")):
        if pid_file.name != SUPERVISOR_PID_FILE:
            stopped = stop_pid_file(pid_file) or stopped
    return stopped


def _say(message: str) -> None:
    print(message, flush=True)  # noqa: T201
