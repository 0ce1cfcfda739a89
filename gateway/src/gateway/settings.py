"""The gateway's configuration, from environment variables prefixed ``CRM_``.

The gateway signs tokens (every service only verifies them), so it needs the
private key; the public key is derived from it when not given. The first
administrator's password has a documented value only in the development profile;
any other profile refuses to start without ``CRM_ADMIN_PASSWORD``.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from crm_chassis.settings import NO_SECRET, ServiceSettings

DEFAULT_ADMIN_EMAIL = "admin@crm.local"
DEFAULT_ADMIN_PASSWORD = "change-me-now"  # noqa: S105 - documented, development profile only


class ServiceUrls(BaseModel):
    """Where each service listens (``CRM_SERVICE_URLS__CUSTOMER=http://...``)."""

    customer: str = "http://127.0.0.1:8101"
    sales: str = "http://127.0.0.1:8102"
    marketing: str = "http://127.0.0.1:8103"
    support: str = "http://127.0.0.1:8104"
    analytics: str = "http://127.0.0.1:8105"
    notifications: str = "http://127.0.0.1:8106"

    def as_dict(self) -> dict[str, str]:
        return {name: url.rstrip("/") for name, url in self.model_dump().items() if url}


class RateLimits(BaseModel):
    """Requests per minute, by caller (``CRM_RATE_LIMITS__PER_ROLE='{"sales_rep": 300}'``).

    A caller with several roles gets the most generous of them; a client id listed in
    ``per_client`` gets exactly that; callers without a token are limited per address.
    """

    enabled: bool = True
    anonymous: int = Field(default=60, ge=1)
    default: int = Field(default=600, ge=1)
    per_role: dict[str, int] = Field(default_factory=lambda: {"integration": 1200, "admin": 1200})
    per_client: dict[str, int] = Field(default_factory=dict)
    window_seconds: int = Field(default=60, ge=1)
    # While Redis is away, callers without a token are limited in each replica's memory,
    # in at most this many buckets (least recently used dropped first).
    fallback_max_keys: int = Field(default=10_000, ge=100)


class UpstreamSettings(BaseModel):
    """How the gateway talks to the services."""

    connect_timeout_seconds: float = Field(default=1.0, gt=0)
    # How long a forwarded request may wait for a free pooled connection. Waiting is not
    # the service failing, so it is long: a short wait (it used to be the 1 s connect
    # timeout) opened the circuit of a service that was only busy, and 503'd its calls.
    pool_wait_seconds: float = Field(default=10.0, gt=0)
    read_timeout_seconds: float = Field(default=15.0, gt=0)
    max_connections: int = Field(default=200, ge=1)
    max_keepalive_connections: int = Field(default=100, ge=1)
    # Idle pooled connections are closed after this; it must stay below the services'
    # http_keep_alive_seconds, or a service closing one races its reuse (seen under
    # load: "Can not write request body", 502s and an opened circuit).
    keepalive_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(default=1, ge=0, le=3)
    # A service's circuit opens when, among its calls of the last window, at least the
    # threshold failed and they are at least the ratio of them (a busy service failing a
    # few calls among many successes stays in use); it stays open for the reset time.
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_failure_ratio: float = Field(default=0.5, gt=0, le=1)
    breaker_window_seconds: float = Field(default=10.0, gt=0)
    breaker_reset_seconds: float = Field(default=10.0, gt=0)
    openapi_refresh_seconds: float = Field(default=30.0, gt=0)
    # Event streams (text/event-stream) are not held to read_timeout_seconds: they are
    # quiet between events. One whose service sends nothing at all, not even the
    # keep-alive comment the services send every 15 s, for this long is ended.
    stream_idle_seconds: float = Field(default=60.0, gt=0)
    # An open stream ends when its token expires, and when the token is revoked: the
    # deny-list is checked again this often (the client reconnects with a fresh token).
    stream_recheck_seconds: float = Field(default=30.0, gt=0)
    # Event streams open at once through one replica, each on a connection of its own to
    # its service, from a pool apart from max_connections (streams filled that one and
    # starved every other call). One more is answered 503 with Retry-After.
    max_streams: int = Field(default=1000, ge=1)
    openapi_miss_refresh_seconds: float = Field(default=2.0, ge=0)


class WebhookSettings(BaseModel):
    """Outbound webhook delivery."""

    allowed_targets: list[str] = Field(default_factory=list)
    retry_delays_seconds: list[float] = Field(
        default_factory=lambda: [5.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0]
    )
    disable_after_failures: int = Field(default=50, ge=1)
    timeout_seconds: float = Field(default=10.0, gt=0)
    workers: int = Field(default=4, ge=1, le=64)
    poll_seconds: float = Field(default=1.0, gt=0)
    lease_seconds: float = Field(default=60.0, gt=0)

    @field_validator("allowed_targets")
    @classmethod
    def _targets_are_hosts_or_networks(cls, targets: list[str]) -> list[str]:
        for target in targets:
            if "/" in target:
                ipaddress.ip_network(target, strict=False)
            elif not target or any(char in target for char in " :@?#"):
                raise ValueError(f"not a host name, address or CIDR: {target!r}")
        return [target.lower() for target in targets]

    @field_validator("retry_delays_seconds")
    @classmethod
    def _some_delays(cls, delays: list[float]) -> list[float]:
        if not delays or any(delay <= 0 for delay in delays):
            raise ValueError("give at least one positive retry delay")
        return delays


class PasswordHashSettings(BaseModel):
    """Argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile)."""

    time_cost: int = Field(default=3, ge=1)
    memory_kib: int = Field(default=65536, ge=8)
    parallelism: int = Field(default=4, ge=1)


class SignInSettings(BaseModel):
    """Limits on checking passwords and client secrets (``CRM_SIGN_IN__...``).

    Each Argon2 check holds ``password_hash.memory_kib`` for its duration, so at most
    ``hash_memory_budget_mib`` of them run at once (never fewer than one); a check that
    cannot start within ``hash_wait_seconds`` is answered 503 with ``Retry-After``.
    Failed sign-ins are counted per account (also for accounts that do not exist) and
    per caller address; past either limit within the window the answer is 429 before
    any hashing.
    """

    hash_memory_budget_mib: int = Field(default=96, ge=1)
    hash_wait_seconds: float = Field(default=2.0, gt=0)
    failures_per_account: int = Field(default=10, ge=1)
    failures_per_address: int = Field(default=30, ge=1)
    failure_window_seconds: int = Field(default=300, ge=1)


class Settings(ServiceSettings):
    service_name: str = "gateway"
    secret_settings = ("admin_password",)
    http_port: int = Field(default=8080, ge=1, le=65535)
    max_body_bytes: int = Field(default=10 * 1_048_576, ge=1024)

    service_urls: ServiceUrls = ServiceUrls()
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    redis_timeout_seconds: float = Field(default=0.25, gt=0)
    # Requests wait for one of these rather than opening more: a Redis command takes well
    # under a millisecond, and new connections under load are what timed out.
    redis_max_connections: int = Field(default=64, ge=1)
    # How long a request waits for a free pooled connection. Waiting is this process being
    # busy, not Redis failing, so it is longer than the timeout: a burst of requests waited
    # in an event loop busy with the burst itself, and got 503 after 0.25 s.
    redis_pool_wait_seconds: float = Field(default=2.0, gt=0)
    redis_retry_seconds: float = Field(default=2.0, gt=0)

    jwt_private_key: SecretStr | None = None
    jwt_private_key_file: Path | None = None
    access_token_minutes: int = Field(default=15, ge=1, le=60)
    refresh_token_days: int = Field(default=14, ge=1, le=90)

    admin_email: str = DEFAULT_ADMIN_EMAIL
    admin_password: SecretStr = NO_SECRET

    password_hash: PasswordHashSettings = PasswordHashSettings()
    sign_in: SignInSettings = SignInSettings()
    rate_limits: RateLimits = RateLimits()
    upstream: UpstreamSettings = UpstreamSettings()
    webhooks: WebhookSettings = WebhookSettings()
    idempotency_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    idempotency_max_body_bytes: int = Field(default=1_048_576, ge=1024)
    audit_retention_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="Audit entries older than this are deleted (TTL index on the entry time).",
    )
    cors_allow_origins: list[str] = Field(default_factory=list)
    # The console's build (console/dist) to serve at /, for a platform on one host;
    # elsewhere the console is its own deployable behind the same ingress.
    console_dir: Path | None = None

    @model_validator(mode="after")
    def _needs_a_token_verification_key(self) -> Settings:
        # Overrides the services' rule: the gateway needs the signing (private) key.
        if not (self.jwt_private_key or self.jwt_private_key_file):
            raise ValueError("set CRM_JWT_PRIVATE_KEY or CRM_JWT_PRIVATE_KEY_FILE")
        return self

    def development_secret(self, name: str) -> str:
        if name == "admin_password":
            return DEFAULT_ADMIN_PASSWORD  # hand-started local runs; make run passes its own
        return super().development_secret(name)

    @model_validator(mode="after")
    def _no_default_admin_in_production(self) -> Settings:
        if self.profile != "development" and (
            self.admin_email == DEFAULT_ADMIN_EMAIL
            or self.admin_password.get_secret_value() == DEFAULT_ADMIN_PASSWORD
        ):
            raise ValueError(
                "set CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD: the documented defaults "
                "are refused in the production profile"
            )
        if len(self.admin_password.get_secret_value()) < 8:
            raise ValueError("CRM_ADMIN_PASSWORD must have at least 8 characters")
        return self

    def concurrent_hashes(self) -> int:
        """How many password checks may run at once within the memory budget."""
        per_hash_kib = self.password_hash.memory_kib
        return max(1, self.sign_in.hash_memory_budget_mib * 1024 // per_hash_kib)

    def jwt_signing_key(self) -> str:
        if self.jwt_private_key is not None:
            return self.jwt_private_key.get_secret_value()
        assert self.jwt_private_key_file is not None
        return self.jwt_private_key_file.read_text()

    def jwt_verification_key(self) -> str:
        if self.jwt_public_key is not None or self.jwt_public_key_file is not None:
            return super().jwt_verification_key()
        private = serialization.load_pem_private_key(self.jwt_signing_key().encode(), None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("the gateway signs with Ed25519 (EdDSA) keys")
        return (
            private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
