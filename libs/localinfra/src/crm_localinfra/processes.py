"""Child processes that can be stopped cleanly: own process group, log file, pid file.

Each server runs in its own session so that stopping it also reaches the
processes it spawns (Erlang's helpers, a shell wrapper's child). Stopping sends
SIGTERM to the group, waits, then SIGKILLs whatever is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from crm_localinfra.ports import wait_until

DEFAULT_STOP_TIMEOUT = 20.0


class ManagedProcess:
    """One server process: started with its output in ``log_file``, stopped by signal."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_file: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        user: str | None = None,
        pid_file: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_file = log_file
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.user = user
        self.pid_file = pid_file
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen is not None else None

    def start(self) -> None:
        if self.is_running():
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            log.write(f"--- starting {self.name}: {' '.join(self.argv)}\n".encode())
            log.flush()
            self._popen = subprocess.Popen(  # noqa: S603 (argv built by us, no shell)
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
                user=self.user,
                group=self.user,
                extra_groups=[] if self.user else None,
            )
        if self.pid_file is not None:
            write_pid_file(self.pid_file, self._popen.pid)

    def is_running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def exit_reason(self) -> str | None:
        """Why the process is gone (exit code and the end of its log), or None if running."""
        if self._popen is None:
            return "not started"
        code = self._popen.poll()
        if code is None:
            return None
        return f"exited with code {code}; end of {self.log_file}:\n{self.log_tail()}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> None:
        """SIGTERM the process group, wait up to ``timeout`` s, then SIGKILL it."""
        popen = self._popen
        if popen is None:
            return
        if popen.poll() is None:
            _signal_group(popen.pid, signal.SIGTERM)
            try:
                popen.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(popen.pid, signal.SIGKILL)
                popen.wait(5)
        # Helpers that outlived the leader (same group) must not keep ports open.
        _signal_group(popen.pid, signal.SIGKILL)
        if self.pid_file is not None:
            self.pid_file.unlink(missing_ok=True)
        self._popen = None


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (guards against a recycled pid), if it exists."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # exited, waiting to be reaped: as good as gone
        return None
    return fields[19]


def write_pid_file(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid} {_start_time(pid) or '?'}\n")


def live_pid(path: Path) -> int | None:
    """The pid recorded in ``path`` if that very process still runs, else None."""
    try:
        pid_text, started = path.read_text().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    current = _start_time(pid)
    if current is None or (started != "?" and current != started):
        return None
    return pid


def stop_pid_file(path: Path, timeout: float = DEFAULT_STOP_TIMEOUT, *, group: bool = True) -> bool:
    """Stop the process (group, if ``group``) recorded in ``path``; True if one ran.

    For processes that are not our children, e.g. those of a platform started in
    another shell. ``group=False`` for a process that does not lead its group.
    """
    pid = live_pid(path)
    if pid is None:
        path.unlink(missing_ok=True)
        return False
    if not group:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        try:
            wait_until(lambda: live_pid(path) is None, timeout=timeout, what=f"stopping {pid}")
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        path.unlink(missing_ok=True)
        return True
    _signal_group(pid, signal.SIGTERM)
    try:
        wait_until(lambda: live_pid(path) is None, timeout=timeout, what=f"stopping pid {pid}")
    except TimeoutError:
        _signal_group(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while live_pid(path) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
    _signal_group(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)
    return True
