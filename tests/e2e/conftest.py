from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from crm_chassis.testing import recorded_spans
from crm_e2e.harness import Platform, running_platform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def span_exporter() -> Iterator[InMemorySpanExporter]:
    """Every span of every app in this process, for assertions on traces."""
    with recorded_spans() as exporter:
        yield exporter


@pytest.fixture(scope="session")
async def platform(
    span_exporter: InMemorySpanExporter,
    mongo_url: str,
    amqp_url: str,
    redis_url: str,
    smtp_server: object,
) -> AsyncIterator[Platform]:
    async with running_platform(
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        redis_url=redis_url,
        smtp_host=smtp_server.host,  # type: ignore[attr-defined]
        smtp_port=smtp_server.port,  # type: ignore[attr-defined]
    ) as running:
        yield running
