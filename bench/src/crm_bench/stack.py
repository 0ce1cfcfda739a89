"""The whole platform as OS processes, as in production: infrastructure, five services, gateway.

Every process is a child of this one (``python -m <service>``, one uvicorn worker each),
on free loopback ports, with a signing key pair of this run's own so that the load
generator can mint a token for any role and subject.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from crm_chassis.testing import SigningKeys, free_port
from crm_localinfra.infra import LocalInfra

SERVICES = ("customer", "sales", "marketing", "support", "analytics", "notifications")
ADMIN_EMAIL = "admin@bench.local"
ADMIN_PASSWORD = "bench-admin-password"  # noqa: S105 - a throwaway local platform


@dataclass
class AppProcess:
    """One service (or the gateway) run as ``python -m <name>``."""

    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        environment = {**os.environ, **self.env, "CRM_HTTP_PORT": str(self.port)}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", self.name], env=environment, stdout=log, stderr=log
            )

    def wait_ready(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{self.name} exited during start-up:\n{tail}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready within {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Stack:
    """Where everything of a running stack listens, and the keys its tokens are signed with."""

    keys: SigningKeys
    mongo_url: str
    amqp_url: str
    redis_url: str
    exchange: str
    apps: dict[str, AppProcess]
    infra: LocalInfra
    folder: Path
    pids: dict[str, int] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return self.apps["gateway"].url

    def service_url(self, name: str) -> str:
        return self.apps[name].url


def service_env(
    name: str, *, stack_id: str, keys: SigningKeys, infra: LocalInfra
) -> dict[str, str]:
    return {
        "CRM_SERVICE_NAME": name,
        "CRM_PROFILE": "development",
        "CRM_LOG_LEVEL": "WARNING",
        # As the Kubernetes base deploys them: a tenth of new traces recorded.
        "CRM_TRACE_SAMPLE_RATIO": "0.1",
        "CRM_MONGO_URL": infra.mongo().url,
        "CRM_MONGO_DB": f"bench_{stack_id}_{name}",
        "CRM_AMQP_URL": infra.rabbitmq().url,
        "CRM_REDIS_URL": infra.redis().url,
        "CRM_SMTP__HOST": "127.0.0.1",
        "CRM_SMTP__PORT": str(infra.smtp().port),
        "CRM_JWT_PUBLIC_KEY": keys.public_pem,
        "CRM_EVENTS__EXCHANGE": f"crm.bench.{stack_id}",
        "CRM_EVENTS__QUEUE_PREFIX": f"bench.{stack_id}.",
    }


@contextmanager
def running_stack(folder: Path, *, gateway_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Start infrastructure, the services (in parallel), then the gateway; stop all after."""
    folder.mkdir(parents=True, exist_ok=True)
    stack_id = f"{os.getpid()}"
    keys = SigningKeys.generate()
    with ExitStack() as exits:
        infra = exits.enter_context(LocalInfra(mongo=True, rabbitmq=True, redis=True, smtp=True))
        apps: dict[str, AppProcess] = {}
        for name in SERVICES:
            env = service_env(name, stack_id=stack_id, keys=keys, infra=infra)
            apps[name] = AppProcess(name, free_port(), env, folder / f"{name}.log")
        env = service_env("gateway", stack_id=stack_id, keys=keys, infra=infra)
        env.update(
            {
                "CRM_JWT_PRIVATE_KEY": keys.private_pem,
                "CRM_ADMIN_EMAIL": ADMIN_EMAIL,
                "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
                **{f"CRM_SERVICE_URLS__{n.upper()}": apps[n].url for n in SERVICES},
                **(gateway_env or {}),
            }
        )
        apps["gateway"] = AppProcess("gateway", free_port(), env, folder / "gateway.log")
        for app in apps.values():
            exits.callback(app.stop)
        for name in SERVICES:
            apps[name].start()
        for name in SERVICES:
            apps[name].wait_ready()
        apps["gateway"].start()
        apps["gateway"].wait_ready()
        yield Stack(
            keys=keys,
            mongo_url=infra.mongo().url,
            amqp_url=infra.rabbitmq().url,
            redis_url=infra.redis().url,
            exchange=f"crm.bench.{stack_id}",
            apps=apps,
            infra=infra,
            folder=folder,
        )
