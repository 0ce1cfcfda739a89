"""Configuration of the analytics service (environment variables prefixed ``CRM_``)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from crm_chassis.mail import SmtpSettings
from crm_chassis.settings import ServiceSettings


class ReportMailSettings(SmtpSettings):
    """The mail relay for scheduled reports, and who they come from (``CRM_SMTP__SENDER``)."""

    sender: str = "CRM reports <reports@crm.local>"


class Settings(ServiceSettings):
    service_name: str = "analytics"
    http_port: int = Field(default=8105, ge=1, le=65535)

    clv_margin: Decimal = Field(default=Decimal("0.30"), gt=0, le=1)
    clv_discount_rate: Decimal = Field(default=Decimal("0.10"), ge=0, le=1)
    # How often dirty rollups are recomputed while events arrive: much of the time between
    # an event and the reports showing it, against CPU for every round. At 50 customers/s
    # 0.1 s gave a lag p50 of 0.44 s (0.5 s: 1.3 s) but cost about 0.9 ms of CPU per
    # request across analytics and the database, which the latency targets under load
    # could not spare on 2 cores (BENCHMARKS.md).
    rollup_refresh_seconds: float = Field(default=0.5, gt=0)
    rollup_lease_seconds: float = Field(default=30.0, gt=0)
    schedule_poll_seconds: float = Field(default=30.0, gt=0)
    smtp: ReportMailSettings = ReportMailSettings()
