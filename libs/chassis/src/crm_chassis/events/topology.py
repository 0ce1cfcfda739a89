"""Names of the exchanges and queues, derived from the exchange and service names.

- ``<exchange>``: the one durable topic exchange; routing key = event type.
- ``<exchange>.unrouted``: its alternate exchange, feeding a durable catch-all queue
  of the same name, so an event nobody is bound to yet is kept (bounded by a TTL
  and a length limit) instead of being returned as unroutable.
- ``<service>.events``: the service's work queue, bound by its patterns.
- ``<service>.events.retry.<ms>``: one queue per retry delay; its queue-level TTL
  dead-letters messages back to the work queue through the default exchange.
- ``<service>.events.dlq``: messages that exhausted their retries, or malformed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

UNROUTED_TTL_MS = 7 * 24 * 3600 * 1000
UNROUTED_MAX_LENGTH = 100_000


@dataclass(frozen=True)
class ServiceQueues:
    """The queue names of one consuming service."""

    service: str

    @property
    def work(self) -> str:
        return f"{self.service}.events"

    @property
    def dead_letter(self) -> str:
        return f"{self.work}.dlq"

    def retry(self, delay_seconds: float) -> str:
        return f"{self.work}.retry.{round(delay_seconds * 1000)}"

    def retry_arguments(self, delay_seconds: float) -> dict[str, Any]:
        return {
            "x-message-ttl": round(delay_seconds * 1000),
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": self.work,
        }


def unrouted_name(exchange: str) -> str:
    return f"{exchange}.unrouted"


def unrouted_queue_arguments() -> dict[str, Any]:
    return {"x-message-ttl": UNROUTED_TTL_MS, "x-max-length": UNROUTED_MAX_LENGTH}
