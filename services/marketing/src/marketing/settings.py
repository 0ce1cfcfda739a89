"""Configuration of the marketing service, from ``CRM_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from crm_chassis.mail import SmtpSettings
from crm_chassis.settings import NO_SECRET, ServiceSettings


class Settings(ServiceSettings):
    """Marketing settings; the defaults work with ``make run`` on one machine."""

    service_name: str = "marketing"
    secret_settings = ("tracking_secret",)
    http_port: int = Field(default=8103, ge=1, le=65535)

    smtp: SmtpSettings = SmtpSettings()
    smtp_connections: int = Field(default=4, ge=1, le=64)
    mail_from: str = "CRM Marketing <marketing@crm.example.org>"
    message_id_domain: str = "crm.example.org"

    public_base_url: str = "http://127.0.0.1:8080"
    # Signs the open, click and unsubscribe links in sent mail.
    tracking_secret: SecretStr = NO_SECRET

    sender_enabled: bool = True
    send_rate_per_minute: int = Field(default=6000, ge=1)
    send_batch_size: int = Field(default=100, ge=1, le=1000)
    send_lease_seconds: float = Field(default=60.0, gt=0)
    send_poll_seconds: float = Field(default=1.0, gt=0)
    send_max_attempts: int = Field(default=8, ge=1)
    send_retry_base_seconds: float = Field(default=5.0, gt=0)
    send_retry_max_seconds: float = Field(default=900.0, gt=0)

    metrics_interval_seconds: float = Field(default=10.0, gt=0)
    attribution_window_days: int = Field(default=30, ge=1, le=365)

    @model_validator(mode="after")
    def _tracking_secret_is_long_enough(self) -> Settings:
        # A guessable secret would let anyone forge unsubscribe and click tokens.
        if len(self.tracking_secret.get_secret_value()) < 16:
            raise ValueError("CRM_TRACKING_SECRET must have at least 16 characters")
        return self
