"""Configuration of the notifications service (environment variables, prefix ``CRM_``)."""

from __future__ import annotations

from pydantic import Field, field_validator

from crm_chassis.mail import SmtpSettings
from crm_chassis.settings import ServiceSettings
from notifications.domain.preferences import clock_time, time_zone


class Settings(ServiceSettings):
    service_name: str = "notifications"
    http_port: int = Field(default=8106, ge=1, le=65535)

    # The live stream. Each replica's one watcher looks for new items this often (a new
    # item reaches a connected console within about this time, whichever replica
    # inserted it; the replica that inserted it wakes its own watcher at once).
    stream_poll_seconds: float = Field(default=0.25, gt=0, le=5)
    # How far back each round looks beyond the previous one: covers an insert stamped
    # a moment before it became visible, and clocks of replicas a little apart. An item
    # the watcher misses anyway is sent once a later one shows the gap, or on resume.
    stream_overlap_seconds: float = Field(default=2.0, ge=0, le=60)
    # A comment line this often keeps proxies from closing a quiet stream.
    stream_keep_alive_seconds: float = Field(default=15.0, gt=0)
    # A stream ends after this long; the console reconnects (with a fresh token and
    # Last-Event-ID), so a revoked or expired token does not keep a stream open.
    stream_max_seconds: float = Field(default=900.0, gt=0)
    # Items waiting for one slow client; beyond it the stream catches up from the store.
    stream_queue_size: int = Field(default=256, ge=1)
    # Items of one event inserted at once (an alert to a whole team or all admins).
    delivery_concurrency: int = Field(default=16, ge=1, le=256)

    # Mail, to people and to customers, over the platform's relay (CRM_SMTP__HOST, ...).
    smtp: SmtpSettings = SmtpSettings()
    mail_from: str = "CRM <notifications@crm.example.org>"
    customer_mail_from: str = "CRM <service@crm.example.org>"
    # Where people reach the console (through the gateway), for the links in their mail.
    public_base_url: str = "http://127.0.0.1:8080"
    # Each replica's sender of people's mail looks for due mail this often.
    mail_poll_seconds: float = Field(default=5.0, gt=0, le=300)
    # Mails one round sends at most (of each sort), before the next round.
    mail_batch_size: int = Field(default=100, ge=1, le=10_000)
    # A sender holds a mail this long at most; after it, another replica may send it.
    mail_lease_seconds: float = Field(default=120.0, gt=0)
    # A mail the server did not take is tried again after 30 s, 60 s, ... up to an hour,
    # and given up after this many attempts.
    mail_retry_seconds: float = Field(default=30.0, gt=0)
    mail_retry_max_seconds: float = Field(default=3600.0, gt=0)
    mail_max_attempts: int = Field(default=20, ge=1)
    # Customer notices: how often each replica looks for invoice steps that came, and
    # when in the day (in this zone) a step falls due.
    customer_notice_poll_seconds: float = Field(default=60.0, gt=0, le=3600)
    customer_notice_time_zone: str = "Asia/Shanghai"
    customer_notice_send_at: str = "09:00"

    @field_validator("customer_notice_time_zone")
    @classmethod
    def _zone(cls, name: str) -> str:
        time_zone(name)
        return name

    @field_validator("customer_notice_send_at")
    @classmethod
    def _clock(cls, value: str) -> str:
        clock_time(value)
        return value
