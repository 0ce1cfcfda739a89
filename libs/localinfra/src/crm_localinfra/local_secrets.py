"""The secrets of this checkout's platforms, made once under ``.local/`` and never built in.

``make run`` and ``docker compose up`` get random secrets of their own per checkout
(``.local/keys/``), so no link, survey or inbound-mail signature can be forged with a
value from the source code, and no administrator password is known in advance. ``make
run`` keeps the customer service's fixed development PII keys (so data stored by an
earlier run stays readable); compose, a deployment of its own, gets generated ones.

For compose, ``write_compose_env`` writes one env file per container under
``.local/compose/``; ``docker-compose.yml`` names them, so compose refuses to start
until they exist (``make install`` makes them).
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from crm_localinfra.keys import ensure_secret

COMPOSE_ADMIN_EMAIL = "admin@crm.local"
COMPOSE_RABBITMQ_USER = "crm"


def _long_secret() -> str:
    return secrets.token_urlsafe(32)


def _aes_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True)
class LocalSecrets:
    admin_password: str
    tracking_secret: str
    survey_link_secret: str
    inbound_email_secret: str
    pii_data_key: str  # AES-256, base64
    pii_index_key: str
    rabbitmq_password: str


def ensure_local_secrets(folder: Path) -> LocalSecrets:
    """This checkout's secrets in ``folder`` (one file each, mode 0600), made if absent."""
    return LocalSecrets(
        admin_password=ensure_secret(folder / "admin-password"),
        tracking_secret=ensure_secret(folder / "tracking-secret", _long_secret),
        survey_link_secret=ensure_secret(folder / "survey-link-secret", _long_secret),
        inbound_email_secret=ensure_secret(folder / "inbound-email-secret", _long_secret),
        pii_data_key=ensure_secret(folder / "pii-data-key", _aes_key),
        pii_index_key=ensure_secret(folder / "pii-index-key", _long_secret),
        rabbitmq_password=ensure_secret(folder / "rabbitmq-password", _long_secret),
    )


def secret_environment(
    package: str, local: LocalSecrets, *, pii_keys: bool = True
) -> dict[str, str]:
    """The secret ``CRM_*`` variables of ``package`` (nothing for those without secrets);
    ``pii_keys=False`` leaves the customer service on its development PII keys."""
    if package == "gateway":
        return {"CRM_ADMIN_PASSWORD": local.admin_password}
    if package == "marketing":
        return {"CRM_TRACKING_SECRET": local.tracking_secret}
    if package == "support":
        return {
            "CRM_INBOUND_EMAIL_SECRET": local.inbound_email_secret,
            "CRM_SURVEY_LINK_SECRET": local.survey_link_secret,
        }
    if package == "customer" and pii_keys:
        return {
            "CRM_PII_KEYS": json.dumps({"local": local.pii_data_key}, separators=(",", ":")),
            "CRM_PII_ACTIVE_KEY": "local",
            "CRM_PII_INDEX_KEY": local.pii_index_key,
        }
    return {}


COMPOSE_DEPLOYABLES = (
    "gateway",
    "customer",
    "sales",
    "marketing",
    "support",
    "analytics",
    "notifications",
)


def write_compose_env(folder: Path, local: LocalSecrets) -> dict[str, Path]:
    """One env file per compose container that needs secrets, rewritten from ``local``
    (mode 0600); returns them by container name."""
    folder.mkdir(parents=True, exist_ok=True)
    amqp_url = f"amqp://{COMPOSE_RABBITMQ_USER}:{local.rabbitmq_password}@rabbitmq:5672/"
    contents: dict[str, dict[str, str]] = {
        "rabbitmq": {
            "RABBITMQ_DEFAULT_USER": COMPOSE_RABBITMQ_USER,
            "RABBITMQ_DEFAULT_PASS": local.rabbitmq_password,
        },
    }
    for deployable in COMPOSE_DEPLOYABLES:
        admin = {"CRM_ADMIN_EMAIL": COMPOSE_ADMIN_EMAIL} if deployable == "gateway" else {}
        contents[deployable] = {
            "CRM_AMQP_URL": amqp_url,
            **admin,
            **secret_environment(deployable, local),
        }
    written = {}
    for name, variables in contents.items():
        path = folder / f"{name}.env"
        text = "".join(f"{key}={_env_value(value)}\n" for key, value in variables.items())
        path.unlink(missing_ok=True)
        path.touch(mode=0o600)
        path.write_text(text)
        written[name] = path
    return written


def _env_value(value: str) -> str:
    # Compose env files take the rest of the line literally, quotes included; a value
    # with a newline or a leading quote could not be written, and none here has one.
    if "\n" in value or value[:1] in "'\"":
        raise ValueError("a compose env value cannot hold a newline or start with a quote")
    return value
