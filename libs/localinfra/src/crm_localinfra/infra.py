"""``LocalInfra``: local servers on free ports under one folder, for tests and tools.

    with LocalInfra(mongo=True, rabbitmq=True) as infra:
        client = AsyncMongoClient(infra.mongo().url)

Servers named in the constructor start (in parallel) on ``__enter__``; any other
starts on first use. Everything stops on ``close()``, and a temporary base folder
is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

from crm_localinfra.mongo import MongoServer
from crm_localinfra.ports import free_port
from crm_localinfra.rabbitmq import RabbitMQNode
from crm_localinfra.redis import RedisServer
from crm_localinfra.smtp import SmtpCapture


class Server(Protocol):
    """What every handle offers; ``stop()`` then ``start()`` restarts the same server."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def is_running(self) -> bool: ...


_S = TypeVar("_S", bound=Server)


class LocalInfra:
    def __init__(
        self,
        base_dir: Path | None = None,
        *,
        mongo: bool = False,
        rabbitmq: bool = False,
        redis: bool = False,
        smtp: bool = False,
    ) -> None:
        self._owns_dir = base_dir is None
        if base_dir is None:
            base_dir = Path(tempfile.mkdtemp(prefix="crm-localinfra-"))
            # The RabbitMQ node runs as the rabbitmq user and must be able to enter it.
            os.chmod(base_dir, 0o711)  # noqa: S103
        self.base_dir = base_dir
        self._wanted = {"mongo": mongo, "rabbitmq": rabbitmq, "redis": redis, "smtp": smtp}
        self._servers: dict[str, Server] = {}
        self._extra: list[Server] = []
        self._locks = {name: threading.Lock() for name in self._wanted}

    def __enter__(self) -> LocalInfra:
        starters: dict[str, Callable[[], object]] = {
            "mongo": self.mongo, "rabbitmq": self.rabbitmq, "redis": self.redis, "smtp": self.smtp,
        }  # fmt: skip
        wanted = [starters[name] for name, on in self._wanted.items() if on]
        try:
            with ThreadPoolExecutor(max_workers=max(1, len(wanted))) as pool:
                for future in [pool.submit(start) for start in wanted]:
                    future.result()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def mongo(self) -> MongoServer:
        """The MongoDB-protocol server (memory backend), started on first use."""
        return self._get("mongo", lambda: MongoServer(free_port(), self.base_dir / "mongo"))

    def rabbitmq(self) -> RabbitMQNode:
        return self._get("rabbitmq", lambda: self._new_rabbitmq("rabbitmq"))

    def redis(self) -> RedisServer:
        return self._get("redis", lambda: RedisServer(free_port(), self.base_dir / "redis"))

    def smtp(self) -> SmtpCapture:
        return self._get("smtp", lambda: SmtpCapture(free_port(), self.base_dir / "smtp"))

    def new_rabbitmq_node(self, name: str) -> RabbitMQNode:
        """A further, dedicated RabbitMQ node (e.g. one that a test may stop)."""
        node = self._new_rabbitmq(f"rabbitmq-{name}")
        node.start()
        self._extra.append(node)
        return node

    def close(self) -> None:
        """Stop every server this object started; remove the folder if it made it."""
        servers = [*self._extra, *self._servers.values()]
        with ThreadPoolExecutor(max_workers=max(1, len(servers))) as pool:
            list(pool.map(lambda server: server.stop(), servers))
        self._servers.clear()
        self._extra.clear()
        if self._owns_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def _new_rabbitmq(self, folder: str) -> RabbitMQNode:
        return RabbitMQNode(free_port(), self.base_dir / folder, dist_port=free_port())

    def _get(self, name: str, create: Callable[[], _S]) -> _S:
        with self._locks[name]:
            server = self._servers.get(name)
            if server is None:
                server = create()
                server.start()
                self._servers[name] = server
            return server  # type: ignore[return-value]
