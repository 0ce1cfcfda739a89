"""Where events end in a stream read chunk by chunk, so that a stream the gateway ends
ends between two events."""

from __future__ import annotations

from gateway.proxy.streams import EventEnds


def test_nothing_passed_on_yet_is_between_events() -> None:
    assert EventEnds().at_end


def test_a_chunk_ending_with_a_blank_line_ends_between_events() -> None:
    ends = EventEnds()
    ends.passed(b"id: 1\nevent: notification\ndata: {}\n\n")
    assert ends.at_end
    ends.passed(b"id: 2\nevent: notification\n")
    assert not ends.at_end


def test_each_line_ending_of_the_format_ends_an_event() -> None:
    for blank_line in (b"\n\n", b"\r\n\r\n", b"\r\r"):
        ends = EventEnds()
        ends.passed(b"data: x")
        assert ends.first_end(b"y" + blank_line + b"id: 2") == 1 + len(blank_line)


def test_an_end_split_between_two_chunks_is_found() -> None:
    ends = EventEnds()
    ends.passed(b"id: 1\ndata: {}\r\n\r")
    assert not ends.at_end
    assert ends.first_end(b"\nid: 2\n") == 1
    ends.passed(b"\nid: 2\n")
    assert not ends.at_end


def test_the_first_end_in_a_chunk_is_where_the_event_under_way_ends() -> None:
    ends = EventEnds()
    ends.passed(b"id: 1\nevent: notification\n")
    assert ends.first_end(b"data: {}\n\nid: 2\ndata: {}\n\n") == len(b"data: {}\n\n")
    assert ends.first_end(b"data: {}\n") is None


def test_a_comment_ends_like_an_event() -> None:
    ends = EventEnds()
    ends.passed(b": keep-alive\n\n")
    assert ends.at_end
