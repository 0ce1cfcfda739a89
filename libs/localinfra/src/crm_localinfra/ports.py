"""Free ports and polling helpers: wait with a deadline, never a fixed sleep."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

POLL_INTERVAL_SECONDS = 0.05


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port the OS reports as free right now (bind to port 0 and read it back)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_accepts(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    abort: Callable[[], str | None] = lambda: None,
) -> None:
    """Poll ``condition`` until it is true or ``timeout`` seconds have passed.

    ``abort`` is checked on every round and may return a reason to give up early,
    e.g. that the server process has already exited.
    """
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return
        reason = abort()
        if reason is not None:
            raise RuntimeError(f"{what}: {reason}")
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")
        time.sleep(POLL_INTERVAL_SECONDS)
