"""A private RabbitMQ node from the Debian package, on our own ports and folders.

Each node gets its own node name, AMQP and distribution ports, Mnesia, log,
feature-flags and plugins files, and its own (empty) ``rabbitmq-env.conf``, so it
neither reads ``/etc/rabbitmq`` nor meets a system node on 5672. Run as root, the
node drops to the ``rabbitmq`` user (as Debian's wrapper would), so its folder
is handed to that user. ``stop()`` and ``start()`` restart the same node with the
same data, which is how tests simulate a broker outage.
"""

from __future__ import annotations

import os
import pwd
import socket
import stat
import subprocess
from pathlib import Path

from crm_localinfra.ports import wait_until
from crm_localinfra.processes import ManagedProcess
from crm_localinfra.system_packages import RABBITMQ_SERVER, ensure_installed

_RABBITMQ_USER = "rabbitmq"
_AMQP_091_HEADER = b"AMQP\x00\x00\x09\x01"
_METHOD_FRAME = 1


def amqp_handshake_works(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when the broker answers the AMQP 0-9-1 header with ``Connection.Start``.

    A listening socket is not enough: RabbitMQ must have finished booting.
    """
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(_AMQP_091_HEADER)
            first = sock.recv(1)
    except OSError:
        return False
    return first == bytes([_METHOD_FRAME])


class RabbitMQNode:
    """One RabbitMQ node (``crm-<port>@localhost``) with its data under ``data_dir``."""

    def __init__(
        self,
        port: int,
        data_dir: Path,
        *,
        dist_port: int | None = None,
        management_port: int | None = None,
        nodename: str | None = None,
        host: str = "127.0.0.1",
        pid_file: Path | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.dist_port = dist_port if dist_port is not None else port + 20000
        self.management_port = management_port
        self.nodename = nodename or f"crm-{port}@localhost"
        self.data_dir = data_dir
        self.log_file = log_file or data_dir / "console.log"
        self._pid_file = pid_file
        self._process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@{self.host}:{self.port}/"

    @property
    def management_url(self) -> str | None:
        if self.management_port is None:
            return None
        return f"http://{self.host}:{self.management_port}/"

    def start(self, timeout: float = 90.0) -> None:
        """Start the node (again) and return once it accepts AMQP connections."""
        ensure_installed(["rabbitmq-server"])
        self._prepare_folders()
        as_user = _RABBITMQ_USER if os.geteuid() == 0 else None
        self._process = ManagedProcess(
            f"rabbitmq {self.nodename}",
            [str(RABBITMQ_SERVER)],
            log_file=self.log_file,
            env=self._environment(),
            cwd=self.data_dir,
            user=as_user,
            pid_file=self._pid_file,
        )
        self._process.start()
        process = self._process
        wait_until(
            lambda: amqp_handshake_works(self.host, self.port),
            timeout=timeout,
            what=f"RabbitMQ node {self.nodename} on port {self.port}",
            abort=process.exit_reason,
        )

    def stop(self) -> None:
        """Stop the node (SIGTERM: RabbitMQ shuts down gracefully), keeping its data."""
        if self._process is not None:
            self._process.stop(timeout=30)
            self._process = None

    def is_running(self) -> bool:
        return self._process is not None and self._process.is_running()

    def ctl(self, *arguments: str, timeout: float = 60.0) -> str:
        """Run ``rabbitmqctl`` against this node (as the user the node runs as, with its
        Erlang cookie) and return what it printed; raises if it fails."""
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from our code
            [str(RABBITMQ_SERVER.with_name("rabbitmqctl")), "-n", self.nodename, *arguments],
            env=self._environment(),
            cwd=self.data_dir,
            user=_RABBITMQ_USER if os.geteuid() == 0 else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(arguments)} failed: {result.stderr}")
        return result.stdout

    def _prepare_folders(self) -> None:
        d = self.data_dir
        for sub in ("mnesia", "log"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        (d / "rabbitmq-env.conf").write_text("# deliberately empty: see crm_localinfra.rabbitmq\n")
        (d / "enabled_plugins").write_text(
            "[rabbitmq_management].\n" if self.management_port is not None else "[].\n"
        )
        conf = ["log.console = true", "log.console.level = info", "log.file.level = info"]
        if self.management_port is not None:
            conf += [
                f"management.tcp.ip = {self.host}",
                f"management.tcp.port = {self.management_port}",
            ]
        (d / "rabbitmq.conf").write_text("\n".join(conf) + "\n")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.touch()
        if os.geteuid() == 0:
            _hand_to_rabbitmq_user(d)

    def _environment(self) -> dict[str, str]:
        d = self.data_dir
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL"))}
        return {
            **inherited,
            "HOME": str(d),  # the Erlang cookie is created here
            "LC_ALL": "C.UTF-8",
            "RABBITMQ_NODENAME": self.nodename,
            "RABBITMQ_NODE_IP_ADDRESS": self.host,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
            "RABBITMQ_LOG_BASE": str(d / "log"),
            "RABBITMQ_FEATURE_FLAGS_FILE": str(d / "feature_flags"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(d / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(d / "rabbitmq-env.conf"),
            "RABBITMQ_PID_FILE": str(d / "mnesia" / "node.pid"),
            # Erlang distribution only on loopback, like the AMQP listener.
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }


def _hand_to_rabbitmq_user(folder: Path) -> None:
    """Give ``folder`` to the rabbitmq user and check that user can reach it."""
    account = pwd.getpwnam(_RABBITMQ_USER)
    for path in (folder, *folder.rglob("*")):
        os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
    for parent in folder.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH and parent.stat().st_uid != account.pw_uid:
            raise PermissionError(
                f"the rabbitmq user cannot enter {parent} (mode {stat.filemode(mode)}); "
                "put the node's data folder somewhere it can reach, or chmod o+x that folder"
            )


__all__ = ["RabbitMQNode", "amqp_handshake_works"]
