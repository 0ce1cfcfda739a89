"""RFM value and segments (C-6); other services' events as timeline entries (C-5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from crm_contracts.events import marketing, support
from customer.domain.consumption import Consumption, Payment
from customer.domain.timeline import Channel, entry_from_event
from customer.domain.value import value_score

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _facts(*payments: tuple[str, int]) -> Consumption:
    facts = Consumption()
    for n, (amount, days_ago) in enumerate(payments):
        paid = Payment(
            payment_id=str(n), amount=Decimal(amount), paid_at=NOW - timedelta(days=days_ago)
        )
        facts = facts.with_payment(paid)
    return facts


def test_a_frequent_big_recent_buyer_scores_top_and_is_high_value_and_loyal() -> None:
    facts = _facts(*[("1000", day * 20) for day in range(12)])
    score = value_score(facts, created_at=NOW - timedelta(days=400), now=NOW)
    assert (score.recency, score.frequency, score.monetary) == (5, 5, 5)
    assert score.score == 100
    assert set(score.segments) == {"high value", "loyal"}


def test_a_new_customer_without_purchases_scores_zero_and_is_new() -> None:
    score = value_score(Consumption(), created_at=NOW - timedelta(days=3), now=NOW)
    assert score.score == 0
    assert score.segments == ("new",)


def test_frequent_small_buyers_gone_quiet_are_at_risk_and_price_sensitive() -> None:
    facts = _facts(("20", 200), ("30", 250), ("25", 300))
    score = value_score(facts, created_at=NOW - timedelta(days=500), now=NOW)
    assert set(score.segments) == {"at risk", "price sensitive"}


def test_events_naming_a_customer_become_entries_keyed_by_event_id() -> None:
    opened = support.TicketOpened(
        ticket_id="t1", customer_id="c1", type="billing", priority="low", channel="web",
        subject="Invoice wrong", opened_at=NOW,
    )  # fmt: skip
    entry = entry_from_event("event-1", opened)
    assert entry is not None
    assert (entry.id, entry.customer_id, entry.source) == ("event-1", "c1", "support")
    assert entry.channel == Channel.TICKET
    assert entry.summary == "Ticket opened: Invoice wrong"
    clicked = marketing.MessageClicked(
        message_id="m1", campaign_id="camp", customer_id="c1", url="https://x", clicked_at=NOW
    )
    click_entry = entry_from_event("event-2", clicked)
    assert click_entry is not None
    assert click_entry.campaign_id == "camp"
    anonymous = support.TicketOpened(**{**opened.model_dump(), "customer_id": None})
    assert entry_from_event("event-3", anonymous) is None


def test_segment_edges_follow_the_score_thresholds() -> None:
    old = NOW - timedelta(days=400)
    assert "high value" not in value_score(_facts(("4999.99", 1)), old, NOW).segments
    assert "high value" in value_score(_facts(("5000.00", 1)), old, NOW).segments
    three_small = [("20", 180), ("20", 190), ("20", 200)]
    assert value_score(_facts(*three_small), old, NOW).segments == ("price sensitive",)
    idle = [("20", 181), ("20", 190), ("20", 200)]
    assert value_score(_facts(*idle), old, NOW).segments == ("at risk", "price sensitive")
    assert "price sensitive" not in value_score(_facts(*idle, ("940", 300)), old, NOW).segments
    loyal = _facts(*[("10", day) for day in (1, 50, 100, 150, 200, 364)])
    assert value_score(loyal, old, NOW).segments == ("loyal", "price sensitive")
    assert value_score(Consumption(), NOW - timedelta(days=30), NOW).segments == ("new",)
    assert value_score(Consumption(), NOW - timedelta(days=31), NOW).segments == ()
