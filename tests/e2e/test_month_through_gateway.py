"""Must show (issue 8): after a scripted month of activity across every service, driven
only through the gateway's public API, each analytics report matches the figures
computed here, independently, from the same script.

The month is played once for the module: customers are created, leads captured and
converted, opportunities worked through the pipeline to won and lost, orders invoiced
and paid, tickets opened, answered, resolved and rated through the mailed survey link.
Events carry real timestamps, so every report is read for this month and for the reps,
teams and agent of this run only (other tests share the session's platform); figures
that can only be read platform-wide are compared as the change from a reading taken
before the month was played.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

import httpx
import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_e2e import journeys
from crm_e2e.harness import Platform
from crm_localinfra.smtp import SmtpCapture

pytestmark = pytest.mark.e2e

CENT = Decimal("0.01")
# The default pipeline's open stages in order, with their win probability in percent.
STAGES = [
    ("lead_generated", 10),
    ("qualified", 20),
    ("needs_confirmed", 40),
    ("demo", 50),
    ("proposal", 60),
    ("negotiation", 80),
]
SETTLE_SECONDS = 30.0


@dataclass(frozen=True)
class DealPlan:
    """One opportunity of the script: its rep, amount, how many stages it moves forward
    from the first, and how it ends."""

    rep: str
    amount: Decimal
    depth: int
    outcome: Literal["won", "lost", "open"]
    from_lead: bool = False
    expected_close: date = date(2027, 2, 15)

    @property
    def path(self) -> list[str]:
        return [stage for stage, _ in STAGES[: self.depth + 1]]

    @property
    def probability(self) -> Decimal:
        """The stage's probability as a fraction, where an open deal stays."""
        return Decimal(STAGES[self.depth][1]) / 100


# rep key -> team key; a run's own ids and teams are derived from them.
REPS = {"a": "north", "b": "north", "c": "south"}
DEALS = [
    DealPlan("a", Decimal("12000.00"), 5, "won", from_lead=True),
    DealPlan("a", Decimal("8000.50"), 3, "lost"),
    DealPlan("a", Decimal("5000.00"), 2, "open", expected_close=date(2027, 1, 20)),
    DealPlan("b", Decimal("20000.00"), 5, "won", from_lead=True),
    DealPlan("b", Decimal("3000.00"), 1, "lost"),
    DealPlan("b", Decimal("7500.25"), 4, "open"),
    DealPlan("b", Decimal("6400.00"), 5, "won"),
    DealPlan("c", Decimal("15000.00"), 5, "won", from_lead=True),
    DealPlan("c", Decimal("4000.00"), 0, "lost"),
    DealPlan("c", Decimal("11000.00"), 3, "open", expected_close=date(2027, 3, 1)),
]
CUSTOMERS = 12
UNCONVERTED_LEADS = 1
# (customer index, unit price, quantity, paid): every order is invoiced in full.
ORDERS = [
    (0, Decimal("450.00"), 2, Decimal("900.00")),
    (0, Decimal("199.90"), 1, Decimal("199.90")),
    (1, Decimal("1250.00"), 4, Decimal("3000.00")),
    (2, Decimal("80.25"), 3, Decimal("240.75")),
    (3, Decimal("6000.00"), 1, Decimal("6000.00")),
]
# A campaign mailed to these customers: who opens it, who also clicks its link, and
# one order placed on it afterwards (customer index, unit price, quantity; not paid).
CAMPAIGN_AUDIENCE = [6, 7, 8, 9, 10, 11]
CAMPAIGN_OPENERS = [6, 7, 8]
CAMPAIGN_CLICKERS = [6, 7]
CAMPAIGN_ORDER = (6, Decimal("250.00"), 2)
CAMPAIGN_COST = Decimal("300.00")
# (customer index, resolved, survey score or None)
TICKETS = [(0, True, 5), (1, True, 4), (2, True, 2), (4, True, None), (5, False, None)]


@dataclass
class Month:
    """What the script did, with the ids the platform gave it."""

    run: str
    period: str
    rep_ids: dict[str, str]
    teams: dict[str, str]
    agent_id: str
    agent_team: str
    customers: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    converted_customers: list[str] = field(default_factory=list)
    opportunities: list[tuple[str, DealPlan]] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    campaign_id: str = ""
    campaign_name: str = ""
    before: dict[str, Any] = field(default_factory=dict)

    def team_of(self, deal: DealPlan) -> str:
        return self.teams[REPS[deal.rep]]

    def deals_of(self, team: str) -> list[DealPlan]:
        return [deal for _, deal in self.opportunities if self.team_of(deal) == team]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


async def get(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    return journeys.ok(await client.get(path, params=params))


async def settled(what: str, read: Any, expected: Any) -> Any:
    """Poll ``read()`` until it equals ``expected``; the last reading either way (the
    assertion that follows shows the difference if it never settled)."""
    seen: list[Any] = []

    async def matches() -> bool:
        seen.append(await read())
        return bool(seen[-1] == expected)

    with contextlib.suppress(TimeoutError):
        await wait_until(matches, timeout=SETTLE_SECONDS, interval=0.2, what=what)
    return seen[-1]


async def platform_wide(admin: httpx.AsyncClient, period: str) -> dict[str, Any]:
    """The figures no filter narrows to this run: read before and after the month."""
    count = await get(admin, "/api/v1/reports/customer-count")
    support = await get(admin, "/api/v1/reports/support", period_from=period, period_to=period)
    board = await get(admin, "/api/v1/dashboards/main", period=period)
    return {
        "customers": count["total"],
        "tickets_opened": support["totals"]["opened"],
        "board_customers": board["customers"],
        "board_new_customers": board["new_customers"],
        "board_tickets_resolved": board["tickets_resolved"],
    }


async def play_sales(platform: Platform, admin: httpx.AsyncClient, month: Month) -> None:
    reps = {
        key: platform.client(
            platform.keys.token(Role.SALES_REP, subject=rep_id, team=month.teams[REPS[key]])
        )
        for key, rep_id in month.rep_ids.items()
    }
    try:
        for key, rep_id in month.rep_ids.items():
            await journeys.register_rep(admin, rep_id, month.teams[REPS[key]])
        next_customer = 0
        for number, deal in enumerate(DEALS):
            rep = reps[deal.rep]
            if deal.from_lead:
                lead_id = await journeys.capture_lead(
                    admin, f"Lead {month.run} {number}", f"lead{number}.{month.run}@example.com",
                    f"Company {month.run} {number}",
                )  # fmt: skip
                await journeys.assign_lead(admin, lead_id, month.rep_ids[deal.rep])
                ids = await journeys.qualify_and_convert_lead(
                    rep, lead_id, deal.amount, deal.expected_close
                )
                month.converted_customers.append(ids["customer_id"])
                opportunity_id = ids["opportunity_id"]
            else:
                customer_id = month.customers[next_customer % len(month.customers)]
                next_customer += 1
                # The customers are the administrator's: a rep may not open a deal on a
                # customer they cannot see, so the administrator opens it for the rep.
                opportunity_id = await journeys.create_opportunity(
                    admin, customer_id, f"Deal {month.run} {number}", deal.amount,
                    deal.expected_close, owner_id=month.rep_ids[deal.rep],
                )  # fmt: skip
            await journeys.fill_gates(rep, opportunity_id, f"C-{month.run}-{number}")
            for stage in deal.path[1:]:
                await journeys.move_stage(rep, opportunity_id, stage)
            if deal.outcome == "won":
                await journeys.move_stage(rep, opportunity_id, "won")
            elif deal.outcome == "lost":
                await journeys.move_stage(rep, opportunity_id, "lost", reason="Went elsewhere")
            month.opportunities.append((opportunity_id, deal))
        for number in range(UNCONVERTED_LEADS):
            lead_id = await journeys.capture_lead(
                admin, f"Open lead {month.run} {number}", f"open{number}.{month.run}@example.com",
                f"Prospect {month.run} {number}",
            )  # fmt: skip
            await journeys.assign_lead(admin, lead_id, month.rep_ids["a"])
    finally:
        for client in reps.values():
            await client.aclose()


async def play_support(
    platform: Platform, admin: httpx.AsyncClient, month: Month, smtp: SmtpCapture
) -> None:
    token = platform.keys.token(Role.SUPPORT_AGENT, subject=month.agent_id, team=month.agent_team)
    async with platform.client(token) as agent, platform.client() as public:
        for number, (index, resolved, _) in enumerate(TICKETS):
            ticket_id = await journeys.open_ticket(
                admin, month.customers[index], month.emails[index],
                f"Month {month.run} problem {number}",
            )  # fmt: skip
            month.tickets.append(ticket_id)
            await journeys.answer_ticket(agent, ticket_id, month.agent_id, month.agent_team)
            if resolved:
                await journeys.resolve_ticket(agent, ticket_id)
        for index, _, score in TICKETS:
            if score is not None:
                await journeys.answer_survey(public, smtp, month.emails[index], score)


async def play_marketing(
    platform: Platform, admin: httpx.AsyncClient, month: Month, smtp: SmtpCapture
) -> None:
    token = platform.keys.token(
        Role.MARKETER, subject=f"marketer-{month.run}", team=f"growth-{month.run}"
    )
    month.campaign_name = f"Month {month.run} offer"
    async with platform.client(token) as marketer, platform.client() as public:
        month.campaign_id = await journeys.launch_campaign(
            marketer, month.campaign_name, [month.customers[i] for i in CAMPAIGN_AUDIENCE],
            CAMPAIGN_COST,
        )  # fmt: skip
        for index in CAMPAIGN_AUDIENCE:
            pixel, click = await journeys.campaign_mail_links(
                smtp, month.emails[index], month.campaign_name
            )
            if index in CAMPAIGN_OPENERS:
                opened = await public.get(pixel)
                assert opened.status_code == 200, opened.text
            if index in CAMPAIGN_CLICKERS:
                clicked = await public.get(click)
                assert clicked.is_redirect, clicked.text
                assert clicked.headers["location"] == "https://example.com/offer"
    index, unit_price, quantity = CAMPAIGN_ORDER
    journeys.ok(
        await admin.post(
            "/api/v1/orders",
            json={
                "customer_id": month.customers[index],
                "campaign_id": month.campaign_id,
                "lines": [
                    {"product": "Offer", "quantity": str(quantity), "unit_price": str(unit_price)}
                ],
            },
        ),
        201,
    )


@pytest.fixture(scope="module")
async def month(platform: Platform, smtp_server: SmtpCapture) -> Month:
    run = uuid.uuid4().hex[:8]
    played = Month(
        run=run,
        period=datetime.now(UTC).strftime("%Y-%m"),
        rep_ids={key: f"rep-{key}-{run}" for key in REPS},
        teams={team: f"{team}-{run}" for team in set(REPS.values())},
        agent_id=f"agent-{run}",
        agent_team=f"care-{run}",
    )
    async with platform.admin() as admin:
        played.before = await platform_wide(admin, played.period)
        for number in range(CUSTOMERS):
            email = f"month{number}.{run}@example.com"
            played.emails.append(email)
            played.customers.append(
                await journeys.create_customer(admin, f"Month {run} customer {number}", email)
            )
        for index, unit_price, quantity, paid in ORDERS:
            await journeys.place_paid_order(
                admin, played.customers[index], unit_price, quantity, paid
            )
        await play_sales(platform, admin, played)
        await play_support(platform, admin, played, smtp_server)
        await play_marketing(platform, admin, played, smtp_server)
    return played


@pytest.fixture
async def admin(platform: Platform) -> Any:
    async with platform.admin() as client:
        yield client


async def test_customer_count_grows_by_the_customers_created_and_converted(
    admin: httpx.AsyncClient, month: Month
) -> None:
    expected = month.before["customers"] + CUSTOMERS + len(month.converted_customers)

    async def count() -> int:
        total: int = (await get(admin, "/api/v1/reports/customer-count"))["total"]
        return total

    assert await settled("customer count", count, expected) == expected
    assert len(month.converted_customers) == sum(1 for deal in DEALS if deal.from_lead)


async def test_funnel_of_each_team_counts_the_stages_its_deals_entered(
    admin: httpx.AsyncClient, month: Month
) -> None:
    for team in month.teams.values():
        deals = month.deals_of(team)
        entered = Counter(stage for deal in deals for stage in deal.path)
        entered["won"] = sum(1 for deal in deals if deal.outcome == "won")
        order = [stage for stage, _ in STAGES] + ["won"]
        expected = [(stage, entered[stage]) for stage in order if entered[stage]]

        async def read(team: str = team) -> dict[str, Any]:
            report: dict[str, Any] = await get(
                admin, "/api/v1/reports/funnel", period_from=month.period,
                period_to=month.period, team=team,
            )  # fmt: skip
            return report

        async def stages(read: Any = read) -> list[tuple[str, int]]:
            return [(row["stage"], row["entered"]) for row in (await read())["stages"]]

        assert await settled(f"funnel of {team}", stages, expected) == expected
        report = await read()
        assert report["opportunities"] == len(deals)
        rows = report["stages"]
        for current, following in itertools.pairwise(rows):
            assert current["conversion_to_next"] == share(following["entered"], current["entered"])
        assert rows[-1]["conversion_to_next"] is None
        assert report["overall_conversion"] == share(rows[-1]["entered"], rows[0]["entered"])


def performance_row(group: str, deals: list[DealPlan]) -> dict[str, Any]:
    won = [deal for deal in deals if deal.outcome == "won"]
    lost = [deal for deal in deals if deal.outcome == "lost"]
    return {
        "group": group,
        "opportunities": len(deals),
        "won": len(won),
        "lost": len(lost),
        "win_rate": share(len(won), len(deals)),
        "close_rate": share(len(won), len(won) + len(lost)),
        "revenue": money(sum((deal.amount for deal in won), Decimal(0))),
    }


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    """A report row with money as Decimal and the time it took left out (real clock)."""
    return {
        "group": row["group"],
        "opportunities": row["opportunities"],
        "won": row["won"],
        "lost": row["lost"],
        "win_rate": row["win_rate"],
        "close_rate": row["close_rate"],
        "revenue": Decimal(row["revenue"]),
    }


async def test_performance_per_rep_matches_each_reps_deals(
    admin: httpx.AsyncClient, month: Month
) -> None:
    for team in month.teams.values():
        deals = month.deals_of(team)
        reps = sorted({month.rep_ids[deal.rep] for deal in deals})
        expected = [
            performance_row(rep, [d for d in deals if month.rep_ids[d.rep] == rep]) for rep in reps
        ]

        async def rows(team: str = team) -> list[dict[str, Any]]:
            report = await get(
                admin, "/api/v1/reports/performance", period_from=month.period,
                period_to=month.period, team=team, group_by="owner",
            )  # fmt: skip
            return [comparable(row) for row in report["rows"]]

        assert await settled(f"performance of {team}", rows, expected) == expected


async def test_performance_per_team_and_its_totals_match_the_script(
    admin: httpx.AsyncClient, month: Month
) -> None:
    for team in month.teams.values():
        deals = month.deals_of(team)

        async def read(team: str = team) -> dict[str, Any]:
            report: dict[str, Any] = await get(
                admin, "/api/v1/reports/performance", period_from=month.period,
                period_to=month.period, team=team, group_by="team",
            )  # fmt: skip
            return report

        async def figures(read: Any = read) -> dict[str, Any]:
            report = await read()
            return {
                "rows": [comparable(row) for row in report["rows"]],
                "totals": comparable(report["totals"]),
            }

        expected_row = performance_row(team, deals)
        expected = {"rows": [expected_row], "totals": {**expected_row, "group": "all"}}
        assert await settled(f"team performance of {team}", figures, expected) == expected
        # Every deal was won within this test run: far less than a day after it was created.
        days = (await read())["totals"]["average_days_to_close"]
        assert days is not None
        assert 0 <= days < 0.01


async def test_forecast_weighs_each_reps_open_deals_by_their_stage(
    admin: httpx.AsyncClient, month: Month
) -> None:
    for team in month.teams.values():
        still_open = [deal for deal in month.deals_of(team) if deal.outcome == "open"]
        reps = sorted({month.rep_ids[deal.rep] for deal in still_open})

        def row(group: str, deals: list[DealPlan]) -> dict[str, Any]:
            return {
                "group": group,
                "open": len(deals),
                "amount": money(sum((d.amount for d in deals), Decimal(0))),
                "weighted": money(sum((d.amount * d.probability for d in deals), Decimal(0))),
            }

        closes = sorted({d.expected_close.strftime("%Y-%m") for d in still_open})
        expected = {
            "open": len(still_open),
            "amount": money(sum((d.amount for d in still_open), Decimal(0))),
            "weighted_pipeline": money(
                sum((d.amount * d.probability for d in still_open), Decimal(0))
            ),
            "by_group": [
                row(rep, [d for d in still_open if month.rep_ids[d.rep] == rep]) for rep in reps
            ],
            "by_expected_close": [
                row(m, [d for d in still_open if d.expected_close.strftime("%Y-%m") == m])
                for m in closes
            ],
        }

        async def read(team: str = team) -> dict[str, Any]:
            report = await get(admin, "/api/v1/reports/forecast", team=team, group_by="owner")

            def rows(name: str) -> list[dict[str, Any]]:
                return [
                    {
                        "group": r["group"],
                        "open": r["open"],
                        "amount": Decimal(r["amount"]),
                        "weighted": Decimal(r["weighted"]),
                    }
                    for r in report[name]
                ]

            return {
                "open": report["open"],
                "amount": Decimal(report["amount"]),
                "weighted_pipeline": Decimal(report["weighted_pipeline"]),
                "by_group": rows("by_group"),
                "by_expected_close": rows("by_expected_close"),
            }

        assert await settled(f"forecast of {team}", read, expected) == expected


async def test_sales_managers_dashboard_shows_their_teams_month(
    platform: Platform, admin: httpx.AsyncClient, month: Month
) -> None:
    team = month.teams["north"]
    deals = month.deals_of(team)
    won = [d for d in deals if d.outcome == "won"]
    lost = [d for d in deals if d.outcome == "lost"]
    still_open = [d for d in deals if d.outcome == "open"]
    expected = {
        "period": month.period,
        "won": len(won),
        "revenue": money(sum((d.amount for d in won), Decimal(0))),
        "win_rate": share(len(won), len(won) + len(lost)),
        "open_opportunities": len(still_open),
        "weighted_pipeline": money(sum((d.amount * d.probability for d in still_open), Decimal(0))),
    }
    token = platform.keys.token(Role.SALES_MANAGER, subject=f"manager-{month.run}", team=team)

    async with platform.client(token) as manager:

        async def read() -> dict[str, Any]:
            board = await get(manager, "/api/v1/dashboards/main", period=month.period)
            return {
                "period": board["period"],
                "won": board["won"],
                "revenue": Decimal(board["revenue"]),
                "win_rate": board["win_rate"],
                "open_opportunities": board["open_opportunities"],
                "weighted_pipeline": Decimal(board["weighted_pipeline"]),
            }

        assert await settled("the manager's dashboard", read, expected) == expected


async def test_company_dashboard_grows_by_the_months_customers_and_resolved_tickets(
    admin: httpx.AsyncClient, month: Month
) -> None:
    new = CUSTOMERS + len(month.converted_customers)
    resolved = sum(1 for _, done, _ in TICKETS if done)
    expected = {
        "customers": month.before["board_customers"] + new,
        "new_customers": month.before["board_new_customers"] + new,
        "tickets_resolved": month.before["board_tickets_resolved"] + resolved,
    }

    async def read() -> dict[str, Any]:
        board = await get(admin, "/api/v1/dashboards/main", period=month.period)
        return {name: board[name] for name in expected}

    assert await settled("the company dashboard", read, expected) == expected


async def test_support_report_of_the_agent_matches_tickets_and_survey_scores(
    admin: httpx.AsyncClient, month: Month
) -> None:
    resolved = [ticket for ticket in TICKETS if ticket[1]]
    scores = [score for _, _, score in TICKETS if score is not None]
    expected = {
        "resolved": len(resolved),
        # One public reply each, never reopened, answered within minutes of a 24 h target.
        "first_contact_resolution": 1.0,
        "sla_attainment": 1.0,
        "surveys": len(scores),
        "csat": share(sum(1 for score in scores if score >= 4), len(scores)),
        "average_score": round(sum(scores) / len(scores), 2),
    }

    async def read() -> dict[str, Any]:
        report = await get(
            admin, "/api/v1/reports/support", period_from=month.period, period_to=month.period,
            owner=month.agent_id,
        )  # fmt: skip
        return {name: report["totals"][name] for name in expected}

    assert await settled("the agent's support report", read, expected) == expected
    report = await get(
        admin, "/api/v1/reports/support", period_from=month.period, period_to=month.period,
        owner=month.agent_id, team=month.agent_team,
    )  # fmt: skip
    totals = report["totals"]
    assert totals["resolved"] == len(resolved)
    assert totals["opened"] == month.before["tickets_opened"] + len(TICKETS)
    assert 0 <= totals["average_handling_hours"] < 1
    assert 0 <= totals["average_first_response_minutes"] < 60
    assert [row["period"] for row in report["by_month"]] == [month.period]


async def test_customer_value_counts_each_customers_orders_and_payments(
    admin: httpx.AsyncClient, month: Month
) -> None:
    for index, customer_id in enumerate(month.customers):
        orders = [order for order in ORDERS if order[0] == index]
        paid = sum((order[3] for order in orders), Decimal(0))
        placed = len(orders) + (1 if CAMPAIGN_ORDER[0] == index else 0)
        expected = {"monetary": money(paid), "orders": placed}

        async def read(customer_id: str = customer_id) -> dict[str, Any]:
            value = await get(admin, f"/api/v1/reports/customer-value/{customer_id}")
            return {"monetary": Decimal(value["monetary"]), "orders": value["orders"]}

        assert await settled(f"value of customer {index}", read, expected) == expected
        value = await get(admin, f"/api/v1/reports/customer-value/{customer_id}")
        assert value["churn_band"] in {"low", "medium", "high"}
        assert Decimal(value["lifetime_value"]) >= 0
        tier = "svip" if paid >= 5000 else "vip" if paid >= 1000 else "normal"
        assert value["tier"] == tier


async def test_timeline_shows_sales_and_support_entries_newest_first(
    admin: httpx.AsyncClient, month: Month
) -> None:
    customer_id = month.customers[0]
    expected_kinds = {
        "order_placed": 2,
        "payment_received": 2,
        "ticket_opened": 1,
        "ticket_resolved": 1,
        "survey_answered": 1,
    }

    async def kinds() -> dict[str, int]:
        timeline = await get(admin, f"/api/v1/customers/{customer_id}/timeline", limit=100)
        counted = Counter(entry["kind"] for entry in timeline["items"])
        return {kind: counted[kind] for kind in expected_kinds}

    assert await settled("customer 0's timeline", kinds, expected_kinds) == expected_kinds
    timeline = await get(admin, f"/api/v1/customers/{customer_id}/timeline", limit=100)
    items = timeline["items"]
    assert {"sales", "support"} <= {entry["source"] for entry in items}
    moments = [datetime.fromisoformat(entry["occurred_at"]) for entry in items]
    assert moments == sorted(moments, reverse=True)
    # The script ran orders before tickets, and a ticket is resolved before it is rated.
    order = [entry["kind"] for entry in reversed(items) if entry["kind"] in expected_kinds]
    assert order.index("payment_received") < order.index("ticket_opened")
    assert order.index("ticket_opened") < order.index("ticket_resolved")
    assert order.index("ticket_resolved") < order.index("survey_answered")


async def test_converted_leads_customers_see_their_won_deal_on_the_timeline(
    admin: httpx.AsyncClient, month: Month
) -> None:
    for customer_id in month.converted_customers:

        async def won(customer_id: str = customer_id) -> int:
            timeline = await get(admin, f"/api/v1/customers/{customer_id}/timeline")
            return sum(1 for entry in timeline["items"] if entry["kind"] == "opportunity_won")

        assert await settled(f"won deal on {customer_id}'s timeline", won, 1) == 1


async def test_campaign_report_counts_the_opens_clicks_and_order_of_the_script(
    admin: httpx.AsyncClient, month: Month
) -> None:
    audience = len(CAMPAIGN_AUDIENCE)
    engaged = len(set(CAMPAIGN_OPENERS) | set(CAMPAIGN_CLICKERS))
    revenue = CAMPAIGN_ORDER[1] * CAMPAIGN_ORDER[2]
    expected = {
        "name": month.campaign_name,
        "cost": CAMPAIGN_COST,
        "revenue": money(revenue),
        "audience": audience,
        "sent": audience,
        "delivered": audience,
        "opened": len(CAMPAIGN_OPENERS),
        "clicked": len(CAMPAIGN_CLICKERS),
        "participants": engaged,
        "converted": 1,
        "participation": share(engaged, audience),
        "conversion": share(1, engaged),
        "roi": round(float(revenue - CAMPAIGN_COST) / float(CAMPAIGN_COST), 4),
        "cpa": money(CAMPAIGN_COST),
        "open_rate": share(len(CAMPAIGN_OPENERS), audience),
        "click_rate": share(len(CAMPAIGN_CLICKERS), audience),
        "bounce_rate": 0.0,
    }

    def as_money(name: str, value: Any) -> Any:
        return Decimal(value) if name in {"cost", "revenue", "cpa"} and value is not None else value

    async def row() -> dict[str, Any] | None:
        report = await get(admin, "/api/v1/reports/campaigns")
        for found in report["campaigns"]:
            if found["campaign_id"] == month.campaign_id:
                return {name: as_money(name, found[name]) for name in expected}
        return None

    assert await settled("the campaign's row", row, expected) == expected


async def test_timeline_shows_the_campaign_mail_opened_and_clicked_and_its_order(
    admin: httpx.AsyncClient, month: Month
) -> None:
    customer_id = month.customers[CAMPAIGN_ORDER[0]]
    expected = {"email_opened": 1, "email_clicked": 1, "order_placed": 1}

    async def kinds() -> dict[str, int]:
        timeline = await get(admin, f"/api/v1/customers/{customer_id}/timeline")
        counted = Counter(entry["kind"] for entry in timeline["items"])
        return {kind: counted[kind] for kind in expected}

    assert await settled("the campaign on the timeline", kinds, expected) == expected
    items = (await get(admin, f"/api/v1/customers/{customer_id}/timeline"))["items"]
    assert {"marketing", "sales"} <= {entry["source"] for entry in items}
    newest_first = [entry["kind"] for entry in items if entry["kind"] in expected]
    assert newest_first.index("order_placed") < newest_first.index("email_clicked")
