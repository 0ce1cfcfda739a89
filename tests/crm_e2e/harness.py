"""The whole platform in this test process: five services and the gateway over real HTTP.

Each app is served by uvicorn on a loopback port against the session's real
MongoDB-protocol server, RabbitMQ and Redis, on an exchange and databases of this
run's own, so the journeys below cross real network hops, the real broker and the
gateway's routing, authentication and limits. Running them in one process lets a
test read every app's spans from one in-memory exporter.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from crm_chassis.testing import SigningKeys, free_port, serve_app, wait_until

SERVICES = ("customer", "sales", "marketing", "support", "analytics", "notifications")
ADMIN_EMAIL = "admin@e2e.local"
ADMIN_PASSWORD = "e2e-admin-password"


@dataclass
class Platform:
    gateway_url: str
    service_urls: dict[str, str]
    apps: dict[str, FastAPI]
    keys: SigningKeys
    run_id: str
    admin_token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.gateway_url, headers=headers, timeout=10.0)

    def admin(self) -> httpx.AsyncClient:
        return self.client(self.admin_token)


def service_secrets(name: str, keys: SigningKeys) -> dict[str, Any]:
    """The secret settings of service ``name`` in a test platform: random per platform
    (derived from its signing key), the same for every process of it, so a restarted
    service reads back what it stored and checks the links it signed. Never the retired
    built-in development values."""

    def derived(purpose: str) -> bytes:
        return hmac.new(keys.private_pem.encode(), purpose.encode(), hashlib.sha256).digest()

    def text(purpose: str) -> str:
        return base64.urlsafe_b64encode(derived(purpose)).decode()

    secrets: dict[str, dict[str, Any]] = {
        "customer": {
            "pii_keys": {"run": base64.b64encode(derived("pii-data")).decode()},
            "pii_active_key": "run",
            "pii_index_key": text("pii-index"),
        },
        "marketing": {"tracking_secret": text("tracking")},
        "support": {
            "inbound_email_secret": text("inbound-email"),
            "survey_link_secret": text("survey-link"),
        },
    }
    return secrets.get(name, {})


def event_settings(run_id: str) -> dict[str, Any]:
    """This run's own exchange and queues, with short retry delays."""
    return {
        "exchange": f"crm.e2e.{run_id}",
        "queue_prefix": f"e2e.{run_id}.",
        "retry_delays_seconds": [0.2, 0.5],
        "relay_poll_seconds": 0.2,
    }


@asynccontextmanager
async def running_platform(
    *,
    mongo_url: str,
    amqp_url: str,
    redis_url: str,
    smtp_host: str,
    smtp_port: int,
    services: tuple[str, ...] = SERVICES,
    elsewhere: dict[str, str] | None = None,
    run_id: str | None = None,
    keys: SigningKeys | None = None,
    gateway_extra: dict[str, Any] | None = None,
) -> AsyncIterator[Platform]:
    """Serve ``services`` and the gateway in this process; ``elsewhere`` names the URL of
    services run another way (e.g. as OS processes a test kills); ``gateway_extra``
    adds to the gateway's settings (e.g. ``console_dir``)."""
    run_id = run_id or uuid.uuid4().hex[:8]
    keys = keys or SigningKeys.generate()
    events = event_settings(run_id)
    async with AsyncExitStack() as stack:
        apps: dict[str, FastAPI] = {}
        urls: dict[str, str] = dict(elsewhere or {})
        for name in services:
            port = free_port()
            settings = importlib.import_module(f"{name}.settings").Settings(
                profile="development",  # explicit; the secrets are this platform's own
                **service_secrets(name, keys),
                http_port=port,
                mongo_url=mongo_url,
                mongo_db=f"e2e_{run_id}_{name}",
                amqp_url=amqp_url,
                events=events,
                jwt_public_key=keys.public_pem,
                revocation_redis_url=redis_url,
                smtp={"host": smtp_host, "port": smtp_port},
            )
            apps[name] = importlib.import_module(f"{name}.app").create_app(settings)
            urls[name] = await stack.enter_async_context(serve_app(apps[name], port))
        gateway_port = free_port()
        gateway_settings = importlib.import_module("gateway.settings").Settings(
            profile="development",
            http_port=gateway_port,
            mongo_url=mongo_url,
            mongo_db=f"e2e_{run_id}_gateway",
            amqp_url=amqp_url,
            redis_url=redis_url,
            events=events,
            jwt_private_key=keys.private_pem,
            jwt_public_key=keys.public_pem,
            service_urls=urls,
            admin_email=ADMIN_EMAIL,
            admin_password=ADMIN_PASSWORD,
            webhooks={"allowed_targets": ["127.0.0.1"], "retry_delays_seconds": [0.2, 0.5, 1.0]},
            **(gateway_extra or {}),
        )
        apps["gateway"] = importlib.import_module("gateway.app").create_app(gateway_settings)
        gateway_url = await stack.enter_async_context(serve_app(apps["gateway"], gateway_port))
        platform = Platform(
            gateway_url=gateway_url, service_urls=urls, apps=apps, keys=keys, run_id=run_id
        )
        platform.admin_token = await login(platform, ADMIN_EMAIL, ADMIN_PASSWORD)
        yield platform


def process_environment(
    name: str,
    *,
    run_id: str,
    keys: SigningKeys,
    mongo_url: str,
    amqp_url: str,
    redis_url: str | None = None,
) -> dict[str, str]:
    """The environment of a service run as an OS process within a test platform
    (``redis_url``: the gateway's, to read its token deny-list)."""
    events = event_settings(run_id)
    revocation = {"CRM_REVOCATION_REDIS_URL": redis_url} if redis_url else {}
    secrets = {
        f"CRM_{field.upper()}": json.dumps(value) if isinstance(value, dict) else value
        for field, value in service_secrets(name, keys).items()
    }
    return {
        **revocation,
        **secrets,
        "CRM_PROFILE": "development",
        "CRM_MONGO_URL": mongo_url,
        "CRM_MONGO_DB": f"e2e_{run_id}_{name}",
        "CRM_AMQP_URL": amqp_url,
        "CRM_JWT_PUBLIC_KEY": keys.public_pem,
        "CRM_EVENTS__EXCHANGE": events["exchange"],
        "CRM_EVENTS__QUEUE_PREFIX": events["queue_prefix"],
        "CRM_EVENTS__RETRY_DELAYS_SECONDS": json.dumps(events["retry_delays_seconds"]),
        "CRM_LOG_LEVEL": "WARNING",
    }


async def login(platform: Platform, email: str, password: str) -> str:
    async with platform.client() as client:
        response = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": email, "password": password},
        )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


@asynccontextmanager
async def service_process(
    name: str, *, port: int, env: dict[str, str], log_path: Path
) -> AsyncIterator[ServiceProcess]:
    """Run one service as its own OS process (``python -m <name>``), as it runs in production."""
    process = ServiceProcess(name=name, port=port, env=env, log_path=log_path)
    await process.start()
    try:
        yield process
    finally:
        process.kill()


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self) -> None:
        environment = {**os.environ, **self.env, "CRM_HTTP_PORT": str(self.port)}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.name], env=environment, stdout=log, stderr=log
            )

    async def start(self) -> None:
        self._spawn()

        async def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                async with httpx.AsyncClient(timeout=1.0) as client:
                    return (await client.get(f"{self.url}/readyz")).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_until(ready, timeout=60, interval=0.1, what=f"{self.name} process ready")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, unacknowledged messages go back to the queue."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
