"""Configuration of the sales service (environment variables with the ``CRM_`` prefix)."""

from __future__ import annotations

from pydantic import Field

from crm_chassis.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "sales"
    http_port: int = Field(default=8102, ge=1, le=65535)

    stall_days: int = Field(
        default=14, ge=1, description="Days without a stage change (pipelines may override)"
    )
    jobs_interval_seconds: float = Field(default=60.0, gt=0)
    jobs_enabled: bool = True
    win_model_retrain_hours: float = Field(default=24.0, gt=0)
    win_model_min_samples: int = Field(default=30, ge=10)
    web_form_submissions_per_minute: int = Field(default=60, ge=1)
    task_reminder_hours: int = Field(default=24, ge=1)
