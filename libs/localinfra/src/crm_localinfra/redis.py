"""A private redis-server on a chosen port with its data under a chosen folder."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from crm_localinfra.ports import wait_until
from crm_localinfra.processes import ManagedProcess
from crm_localinfra.system_packages import ensure_installed


def redis_answers_ping(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """redis-server bound to ``host:port``; snapshots to ``data_dir`` only if ``persist``."""

    def __init__(
        self,
        port: int,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        persist: bool = False,
        pid_file: Path | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.data_dir = data_dir
        self.persist = persist
        self.log_file = log_file or data_dir / "redis.log"
        self._pid_file = pid_file
        self._process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self, timeout: float = 30.0) -> None:
        ensure_installed(["redis-server"])
        executable = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            executable,
            "--port", str(self.port),
            "--bind", self.host,
            "--dir", str(self.data_dir),
            "--daemonize", "no",
            "--logfile", "",
            "--save", "60 1" if self.persist else "",
            "--appendonly", "no",
        ]  # fmt: skip
        self._process = ManagedProcess(
            "redis", argv, log_file=self.log_file, pid_file=self._pid_file
        )
        self._process.start()
        process = self._process
        wait_until(
            lambda: redis_answers_ping(self.host, self.port),
            timeout=timeout,
            what=f"Redis on port {self.port}",
            abort=process.exit_reason,
        )

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
            self._process = None

    def is_running(self) -> bool:
        return self._process is not None and self._process.is_running()
