"""Trace sampling: a share of new traces recorded, callers' decisions followed."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from crm_chassis.tracing import sampler


def _recorded_roots(ratio: float, count: int = 2000) -> int:
    tracer = TracerProvider(sampler=sampler(ratio)).get_tracer("test")
    recorded = 0
    for _ in range(count):
        with tracer.start_as_current_span("request") as span:
            recorded += span.is_recording()
            assert span.get_span_context().trace_id != 0  # logs keep a trace id either way
    return recorded


def test_new_traces_are_recorded_in_the_configured_share() -> None:
    assert _recorded_roots(1.0) == 2000
    assert _recorded_roots(0.0) == 0
    assert 100 < _recorded_roots(0.1) < 300


def _child_of(sampled: bool) -> bool:
    tracer = TracerProvider(sampler=sampler(0.0 if sampled else 1.0)).get_tracer("test")
    flags = TraceFlags(TraceFlags.SAMPLED if sampled else TraceFlags.DEFAULT)
    caller = SpanContext(trace_id=0xABC, span_id=0xDEF, is_remote=True, trace_flags=flags)
    with tracer.start_as_current_span(
        "handler", context=trace.set_span_in_context(NonRecordingSpan(caller))
    ) as span:
        return bool(span.is_recording())


def test_a_trace_started_upstream_keeps_the_callers_decision() -> None:
    assert _child_of(sampled=True) is True  # recorded although this service samples 0 %
    assert _child_of(sampled=False) is False  # dropped although this service samples 100 %
