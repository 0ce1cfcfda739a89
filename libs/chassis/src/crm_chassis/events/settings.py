"""Settings of the event machinery, filled from the service's own settings."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator


class EventingSettings(BaseModel):
    """Broker, retry and outbox-relay tuning; the defaults suit a developer machine."""

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    exchange: str = Field(default="crm.events", min_length=1)
    # Prefixes the service's queue names; lets several platforms (e.g. test runs)
    # share one broker without their competing consumers meeting on one queue.
    queue_prefix: str = ""
    prefetch_count: int = Field(default=32, ge=1, le=65535)
    publish_timeout_seconds: float = Field(default=5.0, gt=0)
    retry_delays_seconds: list[float] = Field(default_factory=lambda: [1.0, 5.0, 30.0])
    # A local write wakes the relay at once, so the poll is only a safety net: it finds
    # what no write of this process announced (a lease left by a relay that stopped, a
    # publish backing off after a failure). Each poll queries every outbox collection,
    # which at 0.5 s was half of an idle service's CPU.
    relay_poll_seconds: float = Field(default=2.0, gt=0)
    # The least time between two passes over the outbox: the writes of that moment are
    # published by one pass, rather than each write paying for a query per collection.
    relay_min_gap_seconds: float = Field(default=0.025, ge=0)
    relay_lease_seconds: float = Field(default=30.0, gt=0)
    # Pending documents found per query, and how many of them are published at once.
    relay_batch_size: int = Field(default=100, ge=1, le=10_000)
    relay_concurrency: int = Field(default=8, ge=1, le=256)
    reconnect_interval_seconds: float = Field(default=2.0, gt=0)
    stop_timeout_seconds: float = Field(default=10.0, ge=0)
    processed_events_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    outbox_log_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)

    @field_validator("retry_delays_seconds")
    @classmethod
    def _delays_are_whole_milliseconds(cls, delays: list[float]) -> list[float]:
        # Each delay names its retry queue (<service>.events.retry.<ms>), equal delays share one.
        if any(round(delay * 1000) < 1 for delay in delays):
            raise ValueError("retry delays must be at least 1 ms")
        return delays
