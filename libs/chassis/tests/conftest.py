"""Fixtures shared by the chassis' unit and integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from crm_chassis.testing import recorded_spans


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Spans finished during the test."""
    with recorded_spans() as exporter:
        yield exporter
