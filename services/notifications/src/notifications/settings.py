"""Configuration of the notifications service (environment variables, prefix ``CRM_``)."""

from __future__ import annotations

from pydantic import Field

from crm_chassis.settings import ServiceSettings


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
