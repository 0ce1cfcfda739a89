"""The notifications bench's arithmetic and stream reading (``make bench-notifications``
measures; this only checks how it counts, without a platform)."""

from __future__ import annotations

import json

from crm_bench.notifications import (
    cpu_per_item,
    fan_out_figures,
    latency_figures,
    render,
    sse_frames,
)


def test_fan_out_rate_runs_from_the_first_publish_to_the_last_item() -> None:
    counts = [(10.5, 0), (11.0, 400), (12.0, 1000), (14.0, 1800), (15.0, 2000)]

    figures = fan_out_figures(10.0, counts, 2000)

    assert figures == {
        "items_expected": 2000,
        "items_created": 2000,
        "complete": True,
        "seconds": 5.0,
        "items_per_second": 400.0,
        "first_half_items_per_second": 500.0,
        "second_half_items_per_second": 333.3,
    }


def test_fan_out_short_of_its_items_is_incomplete() -> None:
    figures = fan_out_figures(0.0, [(1.0, 300), (2.0, 999)], 1000)

    assert figures == {"items_expected": 1000, "items_created": 999, "complete": False}


def test_halves_within_one_read_of_the_count_get_no_rate() -> None:
    figures = fan_out_figures(0.0, [(0.1, 0), (0.3, 40)], 40)

    assert figures["items_per_second"] == 133.3
    assert "first_half_items_per_second" not in figures


def test_cpu_per_item_leaves_out_idle_time_and_the_bench_itself() -> None:
    before = {"notifications": 10.0, "mongo": 50.0, "bench": 1.0}
    after = {"notifications": 14.2, "mongo": 58.0, "bench": 3.0}
    idle = {"notifications": 0.01, "mongo": 0.2, "bench": 0.0}

    shares = cpu_per_item(before, after, idle, 20.0, 2000)

    assert shares == {"notifications": 2.0, "mongo": 2.0, "bench": 1.0, "platform": 4.0}


def test_latencies_give_median_95th_and_worst() -> None:
    figures = latency_figures([float(n) for n in range(1, 201)])

    assert figures == {"count": 200, "p50_ms": 100.0, "p95_ms": 190.0, "max_ms": 200.0}


def test_stream_frames_are_read_as_the_service_writes_them() -> None:
    item = {"notification_id": "n1", "record": {"type": "ticket", "id": "T-1"}}
    text = (
        "retry: 1000\n\n"
        ": keep-alive\n\n"
        f"id: 7\nevent: notification\ndata: {json.dumps(item)}\n\n"
        'id: 8\nevent: notification\ndata: {"a":\ndata: 1}\n\n'
    )

    frames = sse_frames(text.split("\n"))

    assert frames == [
        ("notification", "7", json.dumps(item)),
        ("notification", "8", '{"a":\n1}'),
    ]


def test_render_names_every_figure() -> None:
    host = {"host_cpu_ms": 10.3, "load_average": [1.0, 0.5, 0.25]}
    live = {
        "rounds": 5,
        "missed": 0,
        "count": 1000,
        "p50_ms": 80.0,
        "p95_ms": 150.0,
        "cpu_ms_per_item": {"gateway": 1.0, "platform": 3.0},
    }
    results = {
        "machine": "x86_64, 2 cores",
        "references": {
            "database": {"p50_ms": 0.5, "p99_ms": 2.0},
            "broker": {"p50_ms": 1.6, "p99_ms": 4.0},
        },
        "fan_out": {
            "events": 5,
            "recipients_per_event": 1000,
            "host": host,
            "complete": True,
            "items_per_second": 400.0,
            "items_created": 5000,
            "seconds": 12.5,
            "cpu_ms_per_item": {"notifications": 2.0, "platform": 4.0},
        },
        "event_to_console": {
            "clients": 200,
            "host": host,
            "items_in_store": 7000,
            "team_alert": {**live, "max_ms": 300.0},
            "personal_alerts": {**live, "max_ms": 900.0},
            "opened_at_once": 20,
            "connect_seconds": 4.2,
            "refused_opens": {"503": 3},
            "streams_dropped": 0,
        },
    }

    text = render(results)

    assert "400.0 notifications/s (5000 items in 12.5 s)" in text
    assert "team alert: p50 80.0 ms, p95 150.0 ms, max 300.0 ms" in text
    assert "personal alerts: p50 80.0 ms, p95 150.0 ms, max 900.0 ms" in text
    assert "CPU ms per item made and streamed: gateway 1.00, platform 3.00" in text
    assert "host reference 10.3 ms, load 1.00 0.50 0.25" in text
    assert "opened 20 at a time in 4.2 s (refused and opened again: 3 x 503)" in text
