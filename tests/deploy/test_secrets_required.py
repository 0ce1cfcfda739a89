"""No deployable starts on a built-in secret (issue 18, item 8): outside an explicit
development profile a missing secret stops it, naming the variable; a forgotten profile
is production."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from crm_chassis.testing import SigningKeys, free_port

KEYS = SigningKeys.generate()
SECRETS_OF = {
    "gateway": {"CRM_ADMIN_PASSWORD"},
    "customer": {"CRM_PII_KEYS", "CRM_PII_ACTIVE_KEY", "CRM_PII_INDEX_KEY"},
    "marketing": {"CRM_TRACKING_SECRET"},
    "support": {"CRM_INBOUND_EMAIL_SECRET", "CRM_SURVEY_LINK_SECRET"},
    "sales": set(),
    "analytics": set(),
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

