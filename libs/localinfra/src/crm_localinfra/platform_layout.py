"""What ``make run`` starts and how it is wired: ports, folders and service environment.

The environment built here is the configuration contract every service reads
with pydantic-settings (prefix ``CRM_``, nested keys joined by ``__``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from crm_localinfra.keys import JwtKeyFiles
from crm_localinfra.local_secrets import LocalSecrets, secret_environment
from crm_localinfra.paths import repo_root


@dataclass(frozen=True)
class ServiceSpec:
    """A deployable started as ``python -m <package>``."""

    package: str
    default_port: int

    @property
    def port_variable(self) -> str:
        return f"CRM_LOCAL_{self.package.upper()}_PORT"


# The one table of what runs: the six services, then the gateway in front of them.
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("customer", 8101),
    ServiceSpec("sales", 8102),
    ServiceSpec("marketing", 8103),
    ServiceSpec("support", 8104),
    ServiceSpec("analytics", 8105),
    ServiceSpec("notifications", 8106),
)
GATEWAY = ServiceSpec("gateway", 8080)

LOCAL_ADMIN_EMAIL = "admin@crm.local"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class InfraPorts:
    """Ports of the infrastructure; defaults avoid a system RabbitMQ on 5672/25672."""

    mongo: int = 27018
    rabbitmq: int = 5673
    rabbitmq_dist: int = 25673
    rabbitmq_management: int = 15673
    redis: int = 6380
    smtp: int = 1025

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> InfraPorts:
        """Defaults overridden by ``CRM_LOCAL_<NAME>_PORT``, e.g. ``CRM_LOCAL_MONGO_PORT``."""
        defaults = cls()
        return cls(
            **{
                name: int(env.get(f"CRM_LOCAL_{name.upper()}_PORT", getattr(defaults, name)))
                for name in cls.__dataclass_fields__
            }
        )


def service_port(spec: ServiceSpec, env: Mapping[str, str] = os.environ) -> int:
    return int(env.get(spec.port_variable, spec.default_port))


@dataclass(frozen=True)
class PlatformFolders:
    """Everything ``make run`` keeps, under ``.local/``."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def compose(self) -> Path:
        """docker compose's env files (made by ``prepare`` from the keys folder)."""
        return self.root / "compose"

    @property
    def mail(self) -> Path:
        return self.data / "mail"


def service_environment(
    spec: ServiceSpec,
    ports: InfraPorts,
    keys: JwtKeyFiles,
    local: LocalSecrets,
    env: Mapping[str, str] = os.environ,
) -> dict[str, str]:
    """The ``CRM_*`` variables for one service (the gateway also gets the service URLs):
    the development profile, said explicitly, and this checkout's own secrets (the
    customer service keeps its fixed development PII keys, so data stored by an earlier
    run stays readable)."""
    variables = {
        "CRM_SERVICE_NAME": spec.package,
        "CRM_PROFILE": "development",
        **secret_environment(spec.package, local, pii_keys=False),
        "CRM_MONGO_URL": f"mongodb://{HOST}:{ports.mongo}",
        "CRM_AMQP_URL": f"amqp://guest:guest@{HOST}:{ports.rabbitmq}/",
        "CRM_REDIS_URL": f"redis://{HOST}:{ports.redis}/0",
        "CRM_SMTP__HOST": HOST,
        "CRM_SMTP__PORT": str(ports.smtp),
        "CRM_HTTP_HOST": HOST,
        "CRM_HTTP_PORT": str(service_port(spec, env)),
        "CRM_JWT_PUBLIC_KEY_FILE": str(keys.public_key),
    }
    if spec == GATEWAY:
        # Only the gateway signs tokens, so only it gets the private key.
        variables["CRM_JWT_PRIVATE_KEY_FILE"] = str(keys.private_key)
        for service in SERVICES:
            variables[f"CRM_SERVICE_URLS__{service.package.upper()}"] = (
                f"http://{HOST}:{service_port(service, env)}"
            )
        variables["CRM_ADMIN_EMAIL"] = LOCAL_ADMIN_EMAIL
        # One origin for people and programs: the console's build at /, the API beside it.
        variables["CRM_CONSOLE_DIR"] = str(repo_root() / "console" / "dist")
    else:
        # The gateway's token deny-list: a token revoked there is refused here too.
        variables["CRM_REVOCATION_REDIS_URL"] = variables["CRM_REDIS_URL"]
    return variables
