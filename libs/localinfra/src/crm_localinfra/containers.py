"""Servers in Docker containers (testcontainers), used only when a Docker engine answers.

Production-like images (real MongoDB). Host ports are fixed before start, so a
restarted container keeps its URL, which outage tests rely on.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from crm_localinfra.ports import free_port, wait_until
from crm_localinfra.rabbitmq import amqp_handshake_works
from crm_localinfra.redis import redis_answers_ping

MONGO_IMAGE = os.environ.get("CRM_TEST_MONGO_IMAGE", "mongo:7.0")
RABBITMQ_IMAGE = os.environ.get("CRM_TEST_RABBITMQ_IMAGE", "rabbitmq:3.13-alpine")
REDIS_IMAGE = os.environ.get("CRM_TEST_REDIS_IMAGE", "redis:7-alpine")


def docker_engine_answers(timeout: float = 0.5) -> bool:
    """Ping the Docker engine's unix socket; a quick no on machines without one."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        return True  # a remote engine: let testcontainers find out
    path = host.removeprefix("unix://")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return b" 200 " in sock.recv(256)
    except OSError:
        return False


def _mongo_answers(url: str) -> bool:
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    client: MongoClient[dict[str, Any]] = MongoClient(url, serverSelectionTimeoutMS=500)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


class ContainerServer:
    """One container with a single published port; ``stop()``/``start()`` keep the URL."""

    def __init__(self, image: str, internal_port: int, url_template: str, **env: str) -> None:
        from testcontainers.core.container import DockerContainer

        self.host_port = free_port()
        self._internal_port = internal_port
        self._url_template = url_template
        self._container = DockerContainer(image).with_bind_ports(internal_port, self.host_port)
        for key, value in env.items():
            self._container.with_env(key, value)
        self._started_once = False
        self.host = "127.0.0.1"

    @property
    def url(self) -> str:
        return self._url_template.format(host=self.host, port=self.host_port)

    def start(self, timeout: float = 120.0) -> None:
        if self._started_once:
            self._container.get_wrapped_container().start()
        else:
            self._container.start()
            self.host = self._container.get_container_host_ip()
            self._started_once = True
        wait_until(self._ready, timeout=timeout, what=f"container {self.url}")

    def stop(self) -> None:
        """Stop the container but keep it (and its data) for a later ``start()``."""
        self._container.get_wrapped_container().stop()

    def remove(self) -> None:
        self._container.stop()

    def is_running(self) -> bool:
        wrapped = self._container.get_wrapped_container()
        wrapped.reload()
        return bool(wrapped.status == "running")

    def _ready(self) -> bool:
        raise NotImplementedError


class MongoContainer(ContainerServer):
    def __init__(self) -> None:
        super().__init__(MONGO_IMAGE, 27017, "mongodb://{host}:{port}")

    def _ready(self) -> bool:
        return _mongo_answers(self.url)


class RabbitMQContainer(ContainerServer):
    def __init__(self) -> None:
        super().__init__(RABBITMQ_IMAGE, 5672, "amqp://guest:guest@{host}:{port}/")

    def _ready(self) -> bool:
        return amqp_handshake_works(self.host, self.host_port)

    def ctl(self, *arguments: str, timeout: float = 60.0) -> str:
        """Run ``rabbitmqctl`` inside the container; raises if it fails."""
        code, output = self._container.exec(["rabbitmqctl", *arguments])
        text = output.decode() if isinstance(output, bytes) else str(output)
        if code != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(arguments)} failed: {text}")
        return text


class RedisContainer(ContainerServer):
    def __init__(self) -> None:
        super().__init__(REDIS_IMAGE, 6379, "redis://{host}:{port}/0")

    def _ready(self) -> bool:
        return redis_answers_ping(self.host, self.host_port)
