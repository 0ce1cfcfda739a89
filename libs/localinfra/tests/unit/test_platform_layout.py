from __future__ import annotations

import base64
import json
from pathlib import Path

from crm_localinfra.keys import JwtKeyFiles, ensure_jwt_keys
from crm_localinfra.local_secrets import LocalSecrets, ensure_local_secrets, write_compose_env
from crm_localinfra.platform_layout import (
    GATEWAY,
    SERVICES,
    InfraPorts,
    ServiceSpec,
    service_environment,
)

KEYS = JwtKeyFiles(Path("/k/private.pem"), Path("/k/public.pem"))
LOCAL = LocalSecrets(
    admin_password="pw",
    tracking_secret="tracking-0123456789",
    survey_link_secret="survey-0123456789",
    inbound_email_secret="inbound-0123456789",
    pii_data_key=base64.b64encode(b"k" * 32).decode(),
    pii_index_key="index-0123456789",
    rabbitmq_password="rabbit-0123456789",
)


def test_ports_default_away_from_a_system_rabbitmq_and_follow_the_environment() -> None:
    ports = InfraPorts.from_env({"CRM_LOCAL_REDIS_PORT": "7000"})
    assert (ports.rabbitmq, ports.rabbitmq_dist, ports.redis) == (5673, 25673, 7000)


def test_services_get_infrastructure_urls_and_only_the_public_key() -> None:
    env = service_environment(SERVICES[0], InfraPorts(), KEYS, LOCAL, env={})
    assert env["CRM_MONGO_URL"] == "mongodb://127.0.0.1:27018"
    assert env["CRM_AMQP_URL"] == "amqp://guest:guest@127.0.0.1:5673/"
    assert env["CRM_REDIS_URL"] == "redis://127.0.0.1:6380/0"
    assert env["CRM_HTTP_PORT"] == "8101"
    assert env["CRM_JWT_PUBLIC_KEY_FILE"] == "/k/public.pem"
    assert "CRM_JWT_PRIVATE_KEY_FILE" not in env


def test_gateway_gets_every_service_url_and_the_signing_key() -> None:
    env = service_environment(GATEWAY, InfraPorts(), KEYS, LOCAL, env={"CRM_LOCAL_SALES_PORT": "9"})
    assert env["CRM_HTTP_PORT"] == "8080"
    assert env["CRM_SERVICE_URLS__CUSTOMER"] == "http://127.0.0.1:8101"
    assert env["CRM_SERVICE_URLS__SALES"] == "http://127.0.0.1:9"
    assert env["CRM_JWT_PRIVATE_KEY_FILE"] == "/k/private.pem"


def test_jwt_keys_are_made_once(tmp_path: Path) -> None:
    first = ensure_jwt_keys(tmp_path)
    content = first.private_key.read_bytes()
    assert ensure_jwt_keys(tmp_path).private_key.read_bytes() == content
    assert first.public_key.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert first.private_key.stat().st_mode & 0o077 == 0


def _spec(package: str) -> ServiceSpec:
    return next(spec for spec in (*SERVICES, GATEWAY) if spec.package == package)


def test_each_service_gets_the_development_profile_and_only_its_own_secrets() -> None:
    def env(package: str) -> dict[str, str]:
        return service_environment(_spec(package), InfraPorts(), KEYS, LOCAL, env={})

    assert all(env(spec.package)["CRM_PROFILE"] == "development" for spec in (*SERVICES, GATEWAY))
    assert env("gateway")["CRM_ADMIN_PASSWORD"] == "pw"
    assert env("marketing")["CRM_TRACKING_SECRET"] == "tracking-0123456789"
    assert env("support")["CRM_INBOUND_EMAIL_SECRET"] == "inbound-0123456789"
    assert env("support")["CRM_SURVEY_LINK_SECRET"] == "survey-0123456789"
    assert "CRM_TRACKING_SECRET" not in env("support")
    assert "CRM_ADMIN_PASSWORD" not in env("marketing")
    # make run keeps the development PII keys: data of earlier runs stays readable
    assert "CRM_PII_KEYS" not in env("customer")


def test_local_secrets_are_random_made_once_and_private(tmp_path: Path) -> None:
    first = ensure_local_secrets(tmp_path)
    again = ensure_local_secrets(tmp_path)
    other = ensure_local_secrets(tmp_path / "another-checkout")

    assert again == first
    assert other.tracking_secret != first.tracking_secret
    assert len(base64.b64decode(first.pii_data_key)) == 32
    assert all(len(value) >= 16 for value in vars(first).values())
    assert all(path.stat().st_mode & 0o077 == 0 for path in tmp_path.iterdir() if path.is_file())


def test_compose_env_files_carry_each_containers_secrets(tmp_path: Path) -> None:
    written = write_compose_env(tmp_path / "compose", LOCAL)

    def read(name: str) -> dict[str, str]:
        lines = written[name].read_text().splitlines()
        return dict(line.split("=", 1) for line in lines)

    assert read("rabbitmq")["RABBITMQ_DEFAULT_PASS"] == "rabbit-0123456789"
    assert read("sales")["CRM_AMQP_URL"] == "amqp://crm:rabbit-0123456789@rabbitmq:5672/"
    assert read("gateway")["CRM_ADMIN_PASSWORD"] == "pw"
    customer = read("customer")
    assert json.loads(customer["CRM_PII_KEYS"]) == {"local": LOCAL.pii_data_key}
    assert customer["CRM_PII_ACTIVE_KEY"] == "local"
    assert read("support")["CRM_SURVEY_LINK_SECRET"] == "survey-0123456789"
    assert all(path.stat().st_mode & 0o077 == 0 for path in written.values())
