"""A scripted month of activity across every service, and what it should add up to.

``month_of_activity`` plays out November 2026: customers sign up and buy, reps work
opportunities through the pipeline, campaigns run, tickets are opened, resolved and
rated. It returns the events the services would publish and the plain records of
what happened, from which the tests compute the expected figures by hand.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from crm_contracts.events.registry import EventData

from ..factories import (
    campaign_metrics,
    campaign_status,
    customer_created,
    opportunity_created,
    opportunity_lost,
    opportunity_won,
    order_placed,
    payment_received,
    stage_changed,
    survey_answered,
    ticket_opened,
    ticket_resolved,
)

START = datetime(2026, 11, 1, tzinfo=UTC)
PIPELINE = [
    ("qualified", "0.2"),
    ("needs_confirmed", "0.3"),
    ("demo", "0.5"),
    ("proposal", "0.6"),
    ("negotiation", "0.8"),
]
REPS = {"rep-a": "north", "rep-b": "north", "rep-c": "south"}


@dataclass
class Deal:
    id: str
    owner: str
    team: str
    amount: Decimal
    created_at: datetime
    path: list[str]
    probability: Decimal
    outcome: str  # "won", "lost" or "open"
    closed_at: datetime | None
    expected_close: date


@dataclass
class Campaign:
    id: str
    cost: Decimal
    revenue: Decimal
    audience: int
    delivered: int
    opened: int
    clicked: int
    participants: int
    converted: int


@dataclass
class Ticket:
    id: str
    resolved: bool
    sla_met: bool
    first_contact: bool
    handling_seconds: float
    first_response_seconds: float


@dataclass
class Month:
    events: list[EventData] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    scores: list[int] = field(default_factory=list)


def month_of_activity(seed: int = 2026) -> Month:
    rng = random.Random(seed)
    month = Month()

    def moment() -> datetime:
        return START + timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(0, 24 * 60))

    for number in range(30):
        customer_id = f"cust-{number}"
        created = moment()
        month.customers.append(customer_id)
        month.events.append(customer_created(customer_id, at=created, region="north"))
        for _ in range(rng.randrange(0, 3)):
            paid = created + timedelta(hours=rng.randrange(1, 200))
            amount = f"{rng.randrange(100, 900)}.50"
            month.events += [
                order_placed(customer_id, amount, at=paid),
                payment_received(customer_id, amount, at=paid),
            ]

    for number in range(24):
        owner = rng.choice(sorted(REPS))
        team = REPS[owner]
        created = moment()
        amount = Decimal(rng.randrange(10, 90) * 100)
        depth = rng.randrange(1, len(PIPELINE) + 1)
        outcome = rng.choice(["won", "lost", "open"])
        expected = date(2027, rng.choice([1, 2, 3, 4]), 15)
        month.events.append(
            opportunity_created(
                f"opp-{number}", at=created, owner=owner, team=team, amount=str(amount),
                stage=PIPELINE[0][0], probability=PIPELINE[0][1], expected_close=expected,
            )
        )  # fmt: skip
        at = created
        for (previous, _), (stage, probability) in itertools.pairwise(PIPELINE[:depth]):
            at += timedelta(hours=rng.randrange(5, 60))
            month.events.append(
                stage_changed(
                    f"opp-{number}", previous, stage, at=at, probability=probability,
                    owner=owner, team=team, amount=str(amount),
                )
            )  # fmt: skip
        closed = at + timedelta(hours=rng.randrange(5, 60)) if outcome != "open" else None
        if outcome == "won" and closed:
            month.events.append(
                opportunity_won(f"opp-{number}", created_at=created, at=closed, owner=owner,
                                team=team, amount=str(amount))
            )  # fmt: skip
        elif outcome == "lost" and closed:
            month.events.append(
                opportunity_lost(f"opp-{number}", created_at=created, at=closed, owner=owner,
                                 team=team, amount=str(amount))
            )  # fmt: skip
        month.deals.append(
            Deal(
                id=f"opp-{number}", owner=owner, team=team, amount=amount, created_at=created,
                path=[stage for stage, _ in PIPELINE[:depth]],
                probability=Decimal(PIPELINE[depth - 1][1]), outcome=outcome, closed_at=closed,
                expected_close=expected,
            )
        )  # fmt: skip

    for number in range(3):
        campaign_id = f"camp-{number}"
        cost = Decimal(rng.randrange(10, 50) * 100)
        month.events.append(campaign_status(campaign_id, "running", at=START, cost="0.00"))
        snapshot: dict[str, object] = {}
        for week in range(3):  # weekly snapshots; the last one holds
            delivered = rng.randrange(500, 1000)
            snapshot = {
                "audience": 1000, "sent": 1000, "delivered": delivered, "bounced": 1000 - delivered,
                "opened": rng.randrange(100, 400), "clicked": rng.randrange(10, 90),
                "participants": rng.randrange(50, 200), "converted": rng.randrange(1, 40),
                "revenue": Decimal(rng.randrange(0, 200) * 100), "cost": cost,
            }  # fmt: skip
            month.events.append(
                campaign_metrics(
                    campaign_id, as_of=START + timedelta(days=7 * week + 6), **snapshot
                )
            )
        month.campaigns.append(
            Campaign(
                id=campaign_id, cost=cost, revenue=snapshot["revenue"],  # type: ignore[arg-type]
                audience=1000, delivered=snapshot["delivered"],  # type: ignore[arg-type]
                opened=snapshot["opened"], clicked=snapshot["clicked"],  # type: ignore[arg-type]
                participants=snapshot["participants"],  # type: ignore[arg-type]
                converted=snapshot["converted"],  # type: ignore[arg-type]
            )
        )  # fmt: skip

    for number in range(20):
        ticket_id = f"ticket-{number}"
        opened = moment()
        month.events.append(ticket_opened(ticket_id, at=opened, customer_id=f"cust-{number}"))
        resolved = number % 4 != 0
        handling = float(rng.randrange(1, 48) * 1800)
        response = float(rng.randrange(1, 30) * 60)
        sla_met, first_contact = rng.random() < 0.8, rng.random() < 0.7
        if resolved:
            month.events.append(
                ticket_resolved(
                    ticket_id, opened_at=opened, at=opened + timedelta(seconds=handling),
                    first_response_seconds=response, sla_met=sla_met, first_contact=first_contact,
                )
            )  # fmt: skip
        month.tickets.append(
            Ticket(ticket_id, resolved, sla_met, first_contact, handling, response)
        )

    for _ in range(15):
        score = rng.randrange(1, 6)
        month.scores.append(score)
        month.events.append(survey_answered(score, at=START + timedelta(days=rng.randrange(1, 25))))
    return month
