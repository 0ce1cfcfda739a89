"""Configuration of the support service (env prefix ``CRM_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from crm_chassis.mail import SmtpSettings
from crm_chassis.settings import NO_SECRET, ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "support"
    secret_settings = ("inbound_email_secret", "survey_link_secret")
    http_port: int = Field(default=8104, ge=1, le=65535)
    # Inbound messages and attachments are larger than the chassis' 1 MiB default.
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)

    # SLA breach scanner: how often each replica looks for due warnings and breaches.
    sla_scan_interval_seconds: float = Field(default=15.0, gt=0)
    sla_scan_batch: int = Field(default=200, ge=1, le=5000)

    # Inbound e-mail webhook: the mail provider signs each raw message with this secret.
    inbound_email_secret: SecretStr = NO_SECRET
    inbound_email_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    inbound_email_max_age_seconds: int = Field(default=300, ge=1)
    support_address: str = "support@crm.example.org"

    # Attachments kept in MongoDB (bounded: a document holds at most 16 MB).
    attachment_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, le=15 * 1024 * 1024)
    attachment_types: list[str] = [
        "image/png",
        "image/jpeg",
        "image/gif",
        "application/pdf",
        "text/plain",
        "text/csv",
        "application/zip",
    ]

    # Satisfaction surveys, mailed through SMTP after resolution.
    smtp: SmtpSettings = SmtpSettings()
    survey_sender: str = "support@crm.example.org"
    survey_link_secret: SecretStr = NO_SECRET
    public_base_url: str = "http://127.0.0.1:8080"

    @model_validator(mode="after")
    def _secrets_are_long_enough(self) -> Settings:
        # A guessable secret would let anyone post mail as tickets or answer surveys.
        for name in self.secret_settings:
            secret: SecretStr = getattr(self, name)
            if len(secret.get_secret_value()) < 16:
                raise ValueError(f"CRM_{name.upper()} must have at least 16 characters")
        return self
