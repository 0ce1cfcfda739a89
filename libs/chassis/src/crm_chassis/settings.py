"""Settings every service reads from its environment (prefix ``CRM_``).

A service subclasses :class:`ServiceSettings` to add its own fields. Values are
validated at start-up, so a misconfigured pod fails fast instead of serving.

The profile is ``production`` unless ``CRM_PROFILE=development`` says otherwise, and
secrets have no built-in values: a deployable lists its secret settings in
``secret_settings``; outside the development profile each must be given, or it
refuses to start naming the variable. Only an explicit development profile fills a
missing one, at random for the process unless the deployable documents a fixed
development value (:meth:`ServiceSettings.development_secret`).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from crm_chassis.events import EventingSettings
from crm_chassis.forwarded import parse_networks

# The default of a secret field: no value. See ServiceSettings.secret_settings.
NO_SECRET = SecretStr("")


class ServiceSettings(BaseSettings):
    """Configuration shared by every CRM service; defaults work on a developer machine."""

    model_config = SettingsConfigDict(
        env_prefix="CRM_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    service_name: str = "crm"
    # Production unless said otherwise: a deployment that forgets the profile must not
    # start on development values.
    profile: Literal["development", "production"] = "production"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    # How long an idle keep-alive connection is kept open. Longer than its callers keep
    # idle connections (the gateway 30 s, common clients 5 to 60 s): a server that
    # closes first races a caller reusing the connection, whose request then fails.
    http_keep_alive_seconds: int = Field(default=75, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Proxies (addresses or CIDR networks, comma-separated or a JSON list) whose
    # X-Forwarded-For / X-Forwarded-Proto are believed: the ingress in front of the
    # gateway. Empty: the connection's own address is the caller's, loopback included.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    mongo_url: SecretStr = SecretStr("mongodb://127.0.0.1:27017")
    mongo_db: str = ""
    mongo_timeout_ms: int = Field(default=5000, ge=100)

    amqp_url: SecretStr = SecretStr("amqp://guest:guest@127.0.0.1:5672/")
    events: EventingSettings = EventingSettings()

    jwt_public_key: SecretStr | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "crm-gateway"
    jwt_audience: str = "crm"
    # The gateway's Redis, read for its token deny-list: set it and a token revoked at
    # the gateway (logout, changed roles) is refused here too. Unset, a revoked token
    # stays valid here until it expires (CRM_ACCESS_TOKEN_MINUTES at the gateway).
    revocation_redis_url: SecretStr | None = None

    otlp_endpoint: str | None = None
    # Share of new traces recorded; a trace started upstream keeps its caller's decision.
    trace_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    shutdown_grace_seconds: float = Field(default=20.0, ge=0)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        parse_networks(value)  # raises ValueError naming the bad entry
        return value

    # Names of this deployable's secret fields (SecretStr, default NO_SECRET).
    secret_settings: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _secrets_given_outside_development(self) -> ServiceSettings:
        if self.profile == "development":
            self.fill_development_secrets()
            return self
        missing = self.missing_secrets()
        if missing:
            raise ValueError(
                f"set {', '.join(missing)}: secrets have no built-in value outside the "
                f"development profile (CRM_PROFILE is {self.profile!r}; local runs set "
                "CRM_PROFILE=development)"
            )
        return self

    def missing_secrets(self) -> list[str]:
        """The variables of the secrets not given (an empty value counts as not given)."""
        return [
            f"CRM_{name.upper()}"
            for name in self.secret_settings
            if not getattr(self, name).get_secret_value()
        ]

    def fill_development_secrets(self) -> None:
        """In the development profile only: give each missing secret its
        :meth:`development_secret`."""
        for name in self.secret_settings:
            if not getattr(self, name).get_secret_value():
                object.__setattr__(self, name, SecretStr(self.development_secret(name)))

    def development_secret(self, name: str) -> str:
        """The value of the secret field ``name`` when the development profile runs
        without it: random, for this process only (links signed with it stop verifying
        at a restart). A deployable may override this with a documented fixed value."""
        return secrets.token_urlsafe(32)

    @model_validator(mode="after")
    def _default_database_name(self) -> ServiceSettings:
        if not self.mongo_db:
            object.__setattr__(self, "mongo_db", f"crm_{self.service_name}")
        return self

    @model_validator(mode="after")
    def _needs_a_token_verification_key(self) -> ServiceSettings:
        # Services verify the gateway's tokens themselves (defence in depth), so a
        # service without the gateway's public key must not start.
        if not (self.jwt_public_key or self.jwt_public_key_file):
            raise ValueError("set CRM_JWT_PUBLIC_KEY or CRM_JWT_PUBLIC_KEY_FILE")
        return self

    def eventing(self) -> EventingSettings:
        """The event bus settings with the broker URL filled in from ``CRM_AMQP_URL``."""
        return self.events.model_copy(update={"amqp_url": self.amqp_url.get_secret_value()})

    def jwt_verification_key(self) -> str:
        if self.jwt_public_key is not None:
            return self.jwt_public_key.get_secret_value()
        assert self.jwt_public_key_file is not None
        return self.jwt_public_key_file.read_text()
