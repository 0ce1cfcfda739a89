from __future__ import annotations

from pathlib import Path

from crm_localinfra.keys import JwtKeyFiles, ensure_jwt_keys
from crm_localinfra.platform_layout import (
    GATEWAY,
    SERVICES,
    InfraPorts,
    service_environment,
)

KEYS = JwtKeyFiles(Path("/k/private.pem"), Path("/k/public.pem"))


def test_ports_default_away_from_a_system_rabbitmq_and_follow_the_environment() -> None:
    ports = InfraPorts.from_env({"CRM_LOCAL_REDIS_PORT": "7000"})
    assert (ports.rabbitmq, ports.rabbitmq_dist, ports.redis) == (5673, 25673, 7000)


def test_services_get_infrastructure_urls_and_only_the_public_key() -> None:
    env = service_environment(SERVICES[0], InfraPorts(), KEYS, "pw", env={})
    assert env["CRM_MONGO_URL"] == "mongodb://127.0.0.1:27018"
    assert env["CRM_AMQP_URL"] == "amqp://guest:guest@127.0.0.1:5673/"
    assert env["CRM_REDIS_URL"] == "redis://127.0.0.1:6380/0"
    assert env["CRM_HTTP_PORT"] == "8101"
    assert env["CRM_JWT_PUBLIC_KEY_FILE"] == "/k/public.pem"
    assert "CRM_JWT_PRIVATE_KEY_FILE" not in env


def test_gateway_gets_every_service_url_and_the_signing_key() -> None:
    env = service_environment(GATEWAY, InfraPorts(), KEYS, "pw", env={"CRM_LOCAL_SALES_PORT": "9"})
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
