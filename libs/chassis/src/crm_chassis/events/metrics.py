"""Prometheus metrics of the event machinery, labelled by service.

Process-wide like every Prometheus metric (see :mod:`crm_chassis.metrics`); the
``service`` label keeps several services in one test process apart.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

EVENTS_PUBLISHED = Counter(
    "crm_events_published_total",
    "Events published and confirmed by the broker",
    ["service", "type"],
)
PUBLISH_FAILURES = Counter(
    "crm_events_publish_failures_total",
    "Outbox publishes that failed and stay pending",
    ["service"],
)
EVENTS_CONSUMED = Counter(
    "crm_events_consumed_total",
    "Events received, by outcome (handled, duplicate, unhandled)",
    ["service", "type", "outcome"],
)
EVENTS_FAILED = Counter(
    "crm_events_failed_total", "Handler failures (each attempt counts)", ["service", "type"]
)
EVENTS_RETRIED = Counter(
    "crm_events_retried_total", "Events sent to a delayed retry queue", ["service", "type"]
)
EVENTS_DEAD_LETTERED = Counter(
    "crm_events_dead_lettered_total",
    "Messages sent to the dead-letter queue, by reason",
    ["service", "reason"],
)
DEAD_LETTER_NOTICES_FAILED = Counter(
    "crm_dead_letter_notices_failed_total",
    "Messages parked in a dead-letter queue whose dead_letter.parked notice could not be "
    "published (the message itself stays parked)",
    ["service"],
)
RELAY_PASSES = Counter(
    "crm_outbox_relay_passes_total",
    "Passes of the outbox relay over its collections (one query each per pass)",
    ["service"],
)
OUTBOX_LAG = Histogram(
    "crm_outbox_publish_lag_seconds",
    "Time from writing an event into the outbox to its confirmed publish",
    ["service"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)
