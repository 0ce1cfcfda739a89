"""The gateway as a process of its own (``python -m gateway``), as it runs in a pod: for
what only a real server shows, such as a signal or many connections at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from crm_chassis.testing import SigningKeys, free_port, unique_name, wait_until

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD

SERVICES = ("customer", "sales", "marketing", "support", "analytics", "notifications")


@dataclass(frozen=True)
class Servers:
    """Where the gateway's own servers are, and the key its tokens are signed with."""

    keys: SigningKeys
    mongo_url: str
    mongo_db: str
    amqp_url: str
    redis_url: str


@dataclass
class GatewayProcess:
    url: str
    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def terminate(self) -> None:
        """What the kubelet sends at a rolling update."""
        self.process.send_signal(signal.SIGTERM)


async def _healthy(url: str) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{url}/healthz", timeout=1.0)).status_code == 200
    except httpx.TransportError:
        return False


@asynccontextmanager
async def gateway_process(
    servers: Servers,
    services: Mapping[str, str],
    log_dir: Path,
    **settings: str,
) -> AsyncIterator[GatewayProcess]:
    """A gateway process forwarding to ``services`` (name -> URL; the others absent), with
    ``settings`` as further ``CRM_`` variables (``UPSTREAM__STREAM_RECHECK_SECONDS="1"``).
    Killed at the end of the block if it is still running; its log is in ``log_dir``."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env |= {
        "CRM_PROFILE": "development",
        "CRM_HTTP_PORT": str(port),
        "CRM_SERVICE_NAME": unique_name("gateway"),
        "CRM_MONGO_URL": servers.mongo_url,
        "CRM_MONGO_DB": servers.mongo_db,
        "CRM_AMQP_URL": servers.amqp_url,
        "CRM_EVENTS__EXCHANGE": unique_name("gw_events"),
        "CRM_EVENTS__STOP_TIMEOUT_SECONDS": "3",
        "CRM_REDIS_URL": servers.redis_url,
        "CRM_JWT_PRIVATE_KEY": servers.keys.private_pem,
        "CRM_ADMIN_EMAIL": ADMIN_EMAIL,
        "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # Cheap hashing: these tests are about serving, not brute-force cost.
        "CRM_PASSWORD_HASH__TIME_COST": "1",
        "CRM_PASSWORD_HASH__MEMORY_KIB": "1024",
        "CRM_PASSWORD_HASH__PARALLELISM": "1",
        "CRM_LOG_LEVEL": "INFO",
    }
    env |= {f"CRM_SERVICE_URLS__{name.upper()}": services.get(name, "") for name in SERVICES}
    env |= {f"CRM_{name}": value for name, value in settings.items()}
    log_path = log_dir / f"gateway-{port}.log"
    with log_path.open("w") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gateway", env=env, stdout=log, stderr=subprocess.STDOUT
        )
    running = GatewayProcess(f"http://127.0.0.1:{port}", process, log_path)
    try:

        async def healthy() -> bool:
            if process.returncode is not None:
                raise RuntimeError(f"the gateway exited at start-up:\n{running.log()[-4000:]}")
            return await _healthy(running.url)

        await wait_until(healthy, timeout=60.0, what="the gateway process")
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        sys.stderr.write(running.log()[-4000:])  # pytest shows it when the test fails
