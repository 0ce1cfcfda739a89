"""Secrets have no built-in value: production (the default profile) refuses to start
without them, naming the variable; only an explicit development profile makes them up."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from crm_chassis.settings import NO_SECRET, ServiceSettings
from crm_chassis.testing import SigningKeys

KEY = SigningKeys.generate().public_pem


class _Settings(ServiceSettings):
    secret_settings = ("link_secret",)
    link_secret: SecretStr = NO_SECRET


@pytest.fixture(autouse=True)
def _no_crm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_PROFILE", raising=False)
    monkeypatch.delenv("CRM_LINK_SECRET", raising=False)


def test_a_forgotten_profile_is_production_and_a_missing_secret_stops_the_start() -> None:
    with pytest.raises(ValidationError) as refused:
        _Settings(jwt_public_key=KEY)

    assert "set CRM_LINK_SECRET" in str(refused.value)
    assert "'production'" in str(refused.value)


def test_an_empty_secret_is_a_missing_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_LINK_SECRET", "")

    with pytest.raises(ValidationError, match="set CRM_LINK_SECRET"):
        _Settings(jwt_public_key=KEY)


def test_a_given_secret_is_used_in_any_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_LINK_SECRET", "given-by-the-operator")

    for profile in ("production", "development"):
        settings = _Settings(jwt_public_key=KEY, profile=profile)
        assert settings.link_secret.get_secret_value() == "given-by-the-operator"


def test_development_makes_up_a_random_secret_per_process() -> None:
    first = _Settings(jwt_public_key=KEY, profile="development")
    second = _Settings(jwt_public_key=KEY, profile="development")

    assert len(first.link_secret.get_secret_value()) >= 32
    assert first.link_secret != second.link_secret
