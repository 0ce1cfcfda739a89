"""No deployable starts on a built-in secret (issue 18, item 8): outside an explicit
development profile a missing secret stops it, naming the variable; a forgotten profile
is production; docker compose writes no secret and refuses to start without its
generated env files."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from crm_chassis.testing import SigningKeys, free_port
from crm_localinfra.local_secrets import ensure_local_secrets, write_compose_env

ROOT = Path(__file__).resolve().parents[2]
KEYS = SigningKeys.generate()
SECRETS_OF = {
    "gateway": {"CRM_ADMIN_PASSWORD"},
    "customer": {"CRM_PII_KEYS", "CRM_PII_ACTIVE_KEY", "CRM_PII_INDEX_KEY"},
    "marketing": {"CRM_TRACKING_SECRET"},
    "support": {"CRM_INBOUND_EMAIL_SECRET", "CRM_SURVEY_LINK_SECRET"},
    "sales": set(),
    "analytics": set(),
    "notifications": set(),
}
RETIRED_DEFAULTS = (
    "change-me-now",
    "crm-dev-password",
    "development-only-tracking-secret-change-me",
    "dev-inbound-email-secret",
    "dev-survey-link-secret",
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in [name for name in os.environ if name.startswith("CRM_")]:
        monkeypatch.delenv(name)
    return monkeypatch


def _key(deployable: str) -> dict[str, str]:
    if deployable == "gateway":
        return {"jwt_private_key": KEYS.private_pem}
    return {"jwt_public_key": KEYS.public_pem}


def _refused(deployable: str, **values: Any) -> set[str]:
    """The variables named when the settings class refuses to start (empty: it started)."""
    settings = importlib.import_module(f"{deployable}.settings").Settings
    try:
        settings(**_key(deployable), **values)
    except ValidationError as error:
        named = set(re.findall(r"CRM_[A-Z0-9_]+", str(error)))
        return named - {"CRM_PROFILE"}  # the message also says how to pick the profile
    return set()


@pytest.mark.parametrize("deployable", sorted(SECRETS_OF))
def test_without_its_secrets_a_deployable_refuses_to_start_unless_development(
    deployable: str, clean_environment: pytest.MonkeyPatch
) -> None:
    settings = importlib.import_module(f"{deployable}.settings").Settings

    assert _refused(deployable) == SECRETS_OF[deployable]  # no profile: production
    assert _refused(deployable, profile="production") == SECRETS_OF[deployable]
    development = settings(**_key(deployable), profile="development")
    assert development.profile == "development"
    assert settings.model_fields["profile"].default == "production"


def test_development_fills_link_secrets_at_random_never_with_the_retired_values(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    from marketing.settings import Settings as MarketingSettings
    from support.settings import Settings as SupportSettings

    first, second = (SupportSettings(**_key("support"), profile="development") for _ in "ab")
    marketing = MarketingSettings(**_key("marketing"), profile="development")
    values = {
        first.inbound_email_secret.get_secret_value(),
        first.survey_link_secret.get_secret_value(),
        second.inbound_email_secret.get_secret_value(),
        marketing.tracking_secret.get_secret_value(),
    }

    assert len(values) == 4
    assert values.isdisjoint(RETIRED_DEFAULTS)


def test_an_empty_secret_counts_as_missing(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("CRM_TRACKING_SECRET", "")

    assert _refused("marketing") == {"CRM_TRACKING_SECRET"}


@pytest.mark.parametrize("deployable", ["marketing", "support"])
def test_a_service_process_without_its_secret_exits_naming_the_variable(
    deployable: str, tmp_path: Path
) -> None:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    environment |= {"CRM_JWT_PUBLIC_KEY": KEYS.public_pem, "CRM_HTTP_PORT": str(free_port())}
    result = subprocess.run(
        [sys.executable, "-m", deployable],
        env=environment,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    for variable in SECRETS_OF[deployable]:
        assert variable in result.stderr, result.stderr[-2000:]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_writes_no_secret_and_reads_each_from_a_generated_env_file() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    services = _compose()["services"]

    assert not [value for value in RETIRED_DEFAULTS if value in text]
    for deployable, secrets in SECRETS_OF.items():
        service = services[deployable]
        assert service["env_file"] == [f".local/compose/{deployable}.env"], deployable
        assert not secrets & set(service["environment"]), deployable
        assert "CRM_AMQP_URL" not in service["environment"], deployable
    assert services["rabbitmq"]["env_file"] == [".local/compose/rabbitmq.env"]
    assert "environment" not in services["rabbitmq"]


def test_the_generated_env_files_give_every_secret_and_start_each_settings_class(
    tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    written = write_compose_env(tmp_path / "compose", ensure_local_secrets(tmp_path / "keys"))
    services = _compose()["services"]
    for deployable, secrets in SECRETS_OF.items():
        lines = written[deployable].read_text().splitlines()
        from_file = dict(line.split("=", 1) for line in lines)
        assert secrets <= set(from_file), deployable
        with pytest.MonkeyPatch.context() as patch:
            for name, value in {**services[deployable]["environment"], **from_file}.items():
                patch.setenv(name, str(value))
            patch.delenv("CRM_JWT_PUBLIC_KEY_FILE")
            patch.delenv("CRM_JWT_PRIVATE_KEY_FILE", raising=False)
            # It would start in the production profile too (given an administrator
            # address of its own): compose relies on no development secret.
            own_admin = {"admin_email": "ops@example.com"} if deployable == "gateway" else {}
            assert _refused(deployable, profile="production", **own_admin) == set(), deployable
    rabbitmq = dict(line.split("=", 1) for line in written["rabbitmq"].read_text().splitlines())
    assert rabbitmq["RABBITMQ_DEFAULT_PASS"] in from_file["CRM_AMQP_URL"]
