"""Configuration of the support service (env prefix ``CRM_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from crm_chassis.mail import SmtpSettings
from crm_chassis.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "support"
    http_port: int = Field(default=8104, ge=1, le=65535)
    # Inbound messages and attachments are larger than the chassis' 1 MiB default.
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)

    # SLA breach scanner: how often each replica looks for due warnings and breaches.
    sla_scan_interval_seconds: float = Field(default=15.0, gt=0)
    sla_scan_batch: int = Field(default=200, ge=1, le=5000)

    # Inbound e-mail webhook: the mail provider signs each raw message with this secret.
    inbound_email_secret: SecretStr = SecretStr("dev-inbound-email-secret")
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
    survey_link_secret: SecretStr = SecretStr("dev-survey-link-secret")
    public_base_url: str = "http://127.0.0.1:8080"

    @model_validator(mode="after")
    def _no_development_secrets_in_production(self) -> Settings:
        if self.profile == "production":
            for name in ("inbound_email_secret", "survey_link_secret"):
                secret: SecretStr = getattr(self, name)
                if secret.get_secret_value().startswith("dev-"):
                    raise ValueError(f"set CRM_{name.upper()} in production")
        return self
