"""Pytest fixtures for servers, loaded in every test run through the pytest11 entry point.

Each server is found, in order: a URL in the environment (``CRM_TEST_MONGO_URL``,
``CRM_TEST_AMQP_URL``, ``CRM_TEST_REDIS_URL``), a container when a Docker engine
answers, or a local process on a free port. Nothing starts until a test asks
for it; then it runs once per session and stops at the end.

Fixtures: ``mongo_url``, ``mongo_db_name``, ``amqp_url``, ``rabbitmq_node``,
``redis_url``, ``smtp_server``.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import pytest

from crm_localinfra.infra import LocalInfra, Server
from crm_localinfra.smtp import SmtpCapture

ENVIRONMENT_URLS = {
    "mongo": "CRM_TEST_MONGO_URL",
    "rabbitmq": "CRM_TEST_AMQP_URL",
    "redis": "CRM_TEST_REDIS_URL",
}


class RestartableBroker(Server, Protocol):
    """What ``rabbitmq_node`` yields: a broker of its own that a test may stop and start,
    and administer with ``rabbitmqctl``."""

    @property
    def url(self) -> str: ...

    def ctl(self, *arguments: str, timeout: float = 60.0) -> str: ...


class SessionServers:
    """Resolves and owns the servers of one test session."""

    def __init__(self) -> None:
        self._local: LocalInfra | None = None
        self._containers: dict[str, Any] = {}
        self._outage_broker: RestartableBroker | None = None
        self._docker: bool | None = None

    def url(self, kind: str) -> str:
        from_env = os.environ.get(ENVIRONMENT_URLS[kind])
        if from_env:
            return from_env
        if self._use_docker():
            return str(self._container(kind).url)
        local = self.local()
        servers: dict[str, Callable[[], Any]] = {
            "mongo": local.mongo, "rabbitmq": local.rabbitmq, "redis": local.redis,
        }  # fmt: skip
        return str(servers[kind]().url)

    def outage_broker(self) -> RestartableBroker:
        """A dedicated broker (never the shared or an external one), created once."""
        if self._outage_broker is None:
            if self._use_docker():
                from crm_localinfra.containers import RabbitMQContainer

                container = RabbitMQContainer()
                container.start()
                self._containers["rabbitmq-outage"] = container
                self._outage_broker = container
            else:
                self._outage_broker = self.local().new_rabbitmq_node("outage")
        return self._outage_broker

    def local(self) -> LocalInfra:
        if self._local is None:
            self._local = LocalInfra()
        return self._local

    def close(self) -> None:
        for container in self._containers.values():
            container.remove()
        self._containers.clear()
        self._outage_broker = None
        if self._local is not None:
            self._local.close()
            self._local = None

    def _use_docker(self) -> bool:
        if self._docker is None:
            from crm_localinfra.containers import docker_engine_answers

            self._docker = docker_engine_answers()
        return self._docker

    def _container(self, kind: str) -> Any:
        if kind not in self._containers:
            from crm_localinfra import containers

            classes: dict[str, Callable[[], Any]] = {
                "mongo": containers.MongoContainer,
                "rabbitmq": containers.RabbitMQContainer,
                "redis": containers.RedisContainer,
            }
            server = classes[kind]()
            server.start()
            self._containers[kind] = server
        return self._containers[kind]


@pytest.fixture(scope="session")
def crm_session_servers() -> Iterator[SessionServers]:
    """The session's server registry; other fixtures start what they need through it."""
    servers = SessionServers()
    yield servers
    servers.close()


@pytest.fixture(scope="session")
def mongo_url(crm_session_servers: SessionServers) -> str:
    """URL of a MongoDB-protocol server (mongo-java-server locally, memory backend)."""
    return crm_session_servers.url("mongo")


@pytest.fixture(scope="session")
def amqp_url(crm_session_servers: SessionServers) -> str:
    return crm_session_servers.url("rabbitmq")


@pytest.fixture(scope="session")
def redis_url(crm_session_servers: SessionServers) -> str:
    return crm_session_servers.url("redis")


@pytest.fixture
def rabbitmq_node(crm_session_servers: SessionServers) -> Iterator[RestartableBroker]:
    """A broker of its own with ``url``, ``stop()``, ``start()`` for outage tests.

    Separate from ``amqp_url``'s broker so stopping it disturbs no other test;
    shared by the tests of a session, and running again after each of them.
    """
    node = crm_session_servers.outage_broker()
    if not node.is_running():
        node.start()
    yield node
    if not node.is_running():
        node.start()


@pytest.fixture(scope="session")
def smtp_server(crm_session_servers: SessionServers) -> SmtpCapture:
    """An SMTP capture server: ``host``, ``port``, ``messages()``, ``wait_for()``, ``clear()``."""
    return crm_session_servers.local().smtp()


@pytest.fixture
def mongo_db_name(request: pytest.FixtureRequest, mongo_url: str) -> Iterator[str]:
    """A database name of this test's own; the database is dropped afterwards."""
    test_name = re.sub(r"[^A-Za-z0-9_]", "_", request.node.name)[:30]
    digest = hashlib.sha1(request.node.nodeid.encode(), usedforsecurity=False).hexdigest()[:6]
    name = f"t_{test_name}_{digest}_{uuid.uuid4().hex[:6]}"
    yield name
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(mongo_url, serverSelectionTimeoutMS=5000)
    try:
        client.drop_database(name)
    finally:
        client.close()
