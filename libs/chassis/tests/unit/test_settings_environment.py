"""A service run as a process for a test reads back, from its environment, the very
settings the test made: secrets, nested settings, lists and maps included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from crm_chassis.mail import SmtpSettings
from crm_chassis.settings import NO_SECRET, ServiceSettings
from crm_chassis.testing import SigningKeys
from crm_chassis.testing_processes import settings_environment


class _Limits(BaseModel):
    burst: int = 5
    per_route: dict[str, float] = {}


class _Settings(ServiceSettings):
    secret_settings = ("link_secret",)
    link_secret: SecretStr = NO_SECRET
    keys: dict[str, SecretStr] = {}
    smtp: SmtpSettings = SmtpSettings()
    limits: _Limits = _Limits()
    export_dir: Path | None = None


@pytest.fixture(autouse=True)
def _no_crm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith("CRM_"):
            monkeypatch.delenv(name)


def test_settings_made_by_a_test_are_read_back_from_their_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _Settings(
        service_name="notifications_1a2b",
        profile="development",  # fills link_secret at random: the process must get it
        jwt_public_key=SigningKeys.generate().public_pem,
        mongo_url="mongodb://127.0.0.1:27999",
        trusted_proxies=["10.0.0.0/8", "192.168.1.1"],
        events={"exchange": "crm_test_1a2b", "retry_delays_seconds": [0.2]},
        keys={"k1": "first", "K2": "second"},
        smtp={"host": "127.0.0.1", "port": 2525, "password": "s3cret"},
        limits={"per_route": {"/api/v1/x": 1.5}},
        export_dir=Path("/tmp/exports"),
    )

    environment = settings_environment(made)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    read_back = _Settings()

    assert read_back == made
    assert read_back.link_secret.get_secret_value() == made.link_secret.get_secret_value()
    assert environment["CRM_SERVICE_NAME"] == "notifications_1a2b"
    assert environment["CRM_MONGO_URL"] == "mongodb://127.0.0.1:27999"
    assert "CRM_JWT_PUBLIC_KEY_FILE" not in environment  # None: left to its default
