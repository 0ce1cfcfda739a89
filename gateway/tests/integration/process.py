"""The gateway as a process of its own (``python -m gateway``, run by
:func:`crm_chassis.testing_processes.service_process`), as it runs in a pod: for what only
a real server shows, such as a signal or many connections at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from crm_chassis.testing import SigningKeys, unique_name
from crm_chassis.testing_processes import ServiceProcess, service_process

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


@asynccontextmanager
async def gateway_process(
    servers: Servers,
    services: Mapping[str, str],
    log_dir: Path,
    **settings: str,
) -> AsyncIterator[ServiceProcess]:
    """A gateway process forwarding to ``services`` (name -> URL; the others absent), with
    ``settings`` as further ``CRM_`` variables (``UPSTREAM__STREAM_RECHECK_SECONDS="1"``).
    Killed at the end of the block if it is still running; its log is in ``log_dir``."""
    env = {
        "CRM_PROFILE": "development",
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
    async with service_process("gateway", env, log_dir) as running:
        yield running
