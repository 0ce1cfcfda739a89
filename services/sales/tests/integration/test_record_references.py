"""An order, a quote or a task names only an opportunity (and an order only a quote) that
exists, that the caller may see and that is the same customer's; an order's quote must
be of its opportunity. A refusal is a 422 naming the field, writes nothing and
publishes nothing; a hidden record is refused exactly like an unknown id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from crm_contracts.access import Role
from crm_contracts.events import customer, sales
from sales.components import components

pytestmark = pytest.mark.integration

LINES = [{"product": "Seat", "quantity": "1", "unit_price": "500.00"}]
# Each kind's body without its references; the task names its customer too.
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/orders": {"lines": LINES},
    "/api/v1/quotes": {"terms": {"lines": LINES}},
    "/api/v1/tasks": {"title": "Call back"},
}
NO_OPPORTUNITY = [
    {"field": "body.opportunity_id", "reason": "no opportunity with this id you may see"}
]
NO_QUOTE = [{"field": "body.quote_id", "reason": "no quote with this id you may see"}]
OTHER_CUSTOMER = "belongs to another customer"


@dataclass
class Deals:
    """rep-n (team north) owns customers c-1 and c-2 and their deals; rep-s (team
    south) owns c-south and its deal."""

    rep_n: dict[str, str]
    rep_s: dict[str, str]
    deal_1: str  # c-1's
    other_deal_1: str  # c-1's as well
    deal_2: str  # c-2's
    deal_south: str  # c-south's, rep-s's
    quote_1: str  # c-1's, of deal_1
    quote_2: str  # c-2's


def created(response: httpx.Response, key: str) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()[key])


async def move_quote(
    client: httpx.AsyncClient, quote_id: str, status: str, headers: dict[str, str]
) -> None:
    url = f"/api/v1/quotes/{quote_id}"
    etag = (await client.get(url, headers=headers)).headers["ETag"]
    moved = await client.put(
        f"{url}/status", json={"status": status}, headers={**headers, "If-Match": etag}
    )
    assert moved.status_code == 200, moved.text


async def accept(client: httpx.AsyncClient, quote_id: str, headers: dict[str, str]) -> None:
    """Send the quote, then mark it accepted: what an order may be placed from."""
    for status in ("sent", "accepted"):
        await move_quote(client, quote_id, status, headers)


@pytest.fixture
async def deals(
    app: FastAPI,
    client: httpx.AsyncClient,
    as_role: Callable[..., dict[str, str]],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> Deals:
    owners = {"c-1": ("rep-n", "north"), "c-2": ("rep-n", "north"), "c-south": ("rep-s", "south")}
    for customer_id, (owner, team) in owners.items():
        await publish(
            customer.CustomerCreated(
                customer_id=customer_id,
                member_id=f"M-{customer_id}",
                name=customer_id,
                owner_id=owner,
                team=team,
                created_at=datetime.now(UTC),
            )
        )
    parts = components(app.state.runtime)

    async def copied() -> bool:
        return all([await parts.customers.get(customer_id) for customer_id in owners])

    await eventually(copied, what="the customers in sales' copy")
    rep_n = as_role(Role.SALES_REP, subject="rep-n", team="north")
    rep_s = as_role(Role.SALES_REP, subject="rep-s", team="south")

    async def deal(customer_id: str, headers: dict[str, str]) -> str:
        body = {"name": f"Deal of {customer_id}", "customer_id": customer_id}
        return created(
            await client.post("/api/v1/opportunities", json=body, headers=headers),
            "opportunity_id",
        )

    async def quote(customer_id: str, opportunity_id: str | None) -> str:
        body = {
            "customer_id": customer_id,
            "opportunity_id": opportunity_id,
            "terms": {"lines": LINES},
        }
        return created(await client.post("/api/v1/quotes", json=body, headers=rep_n), "quote_id")

    deal_1, deal_2 = await deal("c-1", rep_n), await deal("c-2", rep_n)
    return Deals(
        rep_n=rep_n,
        rep_s=rep_s,
        deal_1=deal_1,
        other_deal_1=await deal("c-1", rep_n),
        deal_2=deal_2,
        deal_south=await deal("c-south", rep_s),
        quote_1=await quote("c-1", deal_1),
        quote_2=await quote("c-2", deal_2),
    )


@pytest.mark.parametrize("url", sorted(BODIES))
async def test_a_record_names_only_an_opportunity_of_its_customer_the_caller_may_see(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    deals: Deals,
    url: str,
) -> None:
    parts = components(app.state.runtime)
    before = {
        "orders": await parts.orders.count({}),
        "quotes": await parts.quotes.count({}),
        "tasks": await parts.tasks.count({}),
    }

    def post(opportunity_id: str, headers: dict[str, str], customer_id: str = "c-1") -> Any:
        body = {**BODIES[url], "customer_id": customer_id, "opportunity_id": opportunity_id}
        return client.post(url, json=body, headers=headers)

    unknown = await post("opp-nobody", deals.rep_n)
    theirs = await post(deals.deal_south, deals.rep_n)  # rep-s's, of team south
    north_manager = as_role(Role.SALES_MANAGER, subject="mgr-n", team="north")
    theirs_for_a_manager = await post(deals.deal_south, north_manager)
    other_customers = await post(deals.deal_2, deals.rep_n)

    for refused in (unknown, theirs, theirs_for_a_manager, other_customers):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    assert unknown.json()["errors"] == NO_OPPORTUNITY
    # Another team's deal answers as if there were none: same errors, same detail.
    for hidden in (theirs, theirs_for_a_manager):
        assert {k: hidden.json()[k] for k in ("type", "detail", "errors")} == {
            k: unknown.json()[k] for k in ("type", "detail", "errors")
        }
    assert other_customers.json()["errors"] == [
        {"field": "body.opportunity_id", "reason": OTHER_CUSTOMER}
    ]
    after = {
        "orders": await parts.orders.count({}),
        "quotes": await parts.quotes.count({}),
        "tasks": await parts.tasks.count({}),
    }
    assert after == before  # the refused ones wrote nothing

    made = await post(deals.deal_1, deals.rep_n)
    assert made.status_code == 201, made.text
    assert made.json()["opportunity_id"] == deals.deal_1
    # Another team's deal is theirs to name: its owner's manager may, for its customer.
    south_manager = as_role(Role.SALES_MANAGER, subject="mgr-s", team="south")
    by_south = await post(deals.deal_south, south_manager, customer_id="c-south")
    assert by_south.status_code == 201, by_south.text
    listed = await client.get(url, params={"opportunity_id": deals.deal_1}, headers=admin)
    assert listed.json()["total"] == (2 if url == "/api/v1/quotes" else 1)


async def test_an_order_names_only_a_quote_of_its_customer_and_of_its_opportunity(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    recorder: Any,
    eventually: Callable[..., Any],
    deals: Deals,
) -> None:
    def place(headers: dict[str, str], **fields: str) -> Any:
        body = {"customer_id": "c-1", "lines": LINES, **fields}
        return client.post("/api/v1/orders", json=body, headers=headers)

    unknown = await place(deals.rep_n, quote_id="q-nobody")
    # rep-n's quote, named by a manager of another team for a customer of theirs
    south_manager = as_role(Role.SALES_MANAGER, subject="mgr-s", team="south")
    hidden = await place(south_manager, customer_id="c-south", quote_id=deals.quote_1)
    assert (unknown.status_code, hidden.status_code) == (422, 422)
    assert unknown.json()["errors"] == NO_QUOTE
    assert hidden.json()["detail"] == unknown.json()["detail"]
    assert hidden.json()["errors"] == NO_QUOTE
    other_customers = await place(deals.rep_n, quote_id=deals.quote_2)
    assert other_customers.status_code == 422, other_customers.text
    assert other_customers.json()["errors"] == [
        {"field": "body.quote_id", "reason": OTHER_CUSTOMER}
    ]
    other_deals = await place(
        deals.rep_n, opportunity_id=deals.other_deal_1, quote_id=deals.quote_1
    )
    assert other_deals.status_code == 422, other_deals.text
    assert other_deals.json()["errors"] == [
        {"field": "body.quote_id", "reason": "belongs to another opportunity"}
    ]
    both = await place(deals.rep_n, opportunity_id="opp-nobody", quote_id=deals.quote_2)
    assert both.status_code == 422, both.text
    assert both.json()["errors"] == [
        *NO_OPPORTUNITY,
        {"field": "body.quote_id", "reason": OTHER_CUSTOMER},
    ]

    await accept(client, deals.quote_1, deals.rep_n)
    placed = await place(deals.rep_n, opportunity_id=deals.deal_1, quote_id=deals.quote_1)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["opportunity_id"], order["quote_id"]) == (deals.deal_1, deals.quote_1)
    # The refused ones took no order number, stored nothing and told nobody.
    assert order["order_number"].endswith("-000001")
    listed = await client.get("/api/v1/orders", headers=admin)
    assert [item["order_id"] for item in listed.json()["items"]] == [order["order_id"]]
    await eventually(lambda: recorder.of_type(sales.OrderPlaced.TYPE), what="order.placed")
    [announced] = recorder.of_type(sales.OrderPlaced.TYPE)
    assert announced.data["order_id"] == order["order_id"]
    assert announced.data["opportunity_id"] == deals.deal_1


async def test_an_order_is_placed_only_from_an_accepted_quote_and_once(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str], deals: Deals
) -> None:
    parts = components(app.state.runtime)

    def place(**fields: str) -> Any:
        body = {"customer_id": "c-1", "lines": LINES, **fields}
        return client.post("/api/v1/orders", json=body, headers=deals.rep_n)

    draft = await place(opportunity_id=deals.deal_1, quote_id=deals.quote_1)
    assert draft.status_code == 422, draft.text
    assert draft.headers["content-type"] == "application/problem+json"
    assert draft.json()["errors"] == [
        {"field": "body.quote_id", "reason": "the quote is not accepted"}
    ]
    await move_quote(client, deals.quote_1, "sent", deals.rep_n)
    merely_sent = await place(opportunity_id=deals.deal_1, quote_id=deals.quote_1)
    assert merely_sent.status_code == 422, merely_sent.text
    assert await parts.orders.count({}) == 0

    await move_quote(client, deals.quote_1, "accepted", deals.rep_n)
    first = await place(opportunity_id=deals.deal_1, quote_id=deals.quote_1)
    assert first.status_code == 201, first.text
    order_id = first.json()["order_id"]
    # Also without naming the opportunity again, and by its owner's manager.
    again = await place(quote_id=deals.quote_1)
    manager = await client.post(
        "/api/v1/orders",
        json={"customer_id": "c-1", "lines": LINES, "quote_id": deals.quote_1},
        headers=admin,
    )
    for second in (again, manager):
        assert second.status_code == 409, second.text
        assert second.headers["content-type"] == "application/problem+json"
        problem = second.json()
        assert problem["field"] == "quote_id"
        assert problem["errors"] == [
            {"field": "body.quote_id", "reason": "already used by another record"}
        ]
        assert order_id in problem["detail"]
    assert await parts.orders.count({}) == 1

    # Orders without a quote are not held to it, however many there are.
    for _ in range(2):
        plain = await place(opportunity_id=deals.deal_1)
        assert plain.status_code == 201, plain.text
        assert plain.json()["quote_id"] is None

    # The order of a quote is found by it.
    of_quote = await client.get("/api/v1/orders", params={"quote_id": deals.quote_1}, headers=admin)
    assert of_quote.status_code == 200, of_quote.text
    assert [item["order_id"] for item in of_quote.json()["items"]] == [order_id]
    none = await client.get("/api/v1/orders", params={"quote_id": deals.quote_2}, headers=admin)
    assert none.json()["total"] == 0


async def test_a_quote_whose_order_was_cancelled_can_be_ordered_again(
    app: FastAPI, client: httpx.AsyncClient, deals: Deals
) -> None:
    """The customer cancels, then changes their mind: the accepted quote stands."""
    await accept(client, deals.quote_1, deals.rep_n)
    body = {"customer_id": "c-1", "lines": LINES, "quote_id": deals.quote_1}
    first = await client.post("/api/v1/orders", json=body, headers=deals.rep_n)
    assert first.status_code == 201, first.text
    first_id = first.json()["order_id"]

    cancelled = await client.put(
        f"/api/v1/orders/{first_id}/status",
        json={"status": "cancelled"},
        headers={**deals.rep_n, "If-Match": first.headers["etag"]},
    )
    assert cancelled.status_code == 200, cancelled.text
    second = await client.post("/api/v1/orders", json=body, headers=deals.rep_n)
    assert second.status_code == 201, second.text
    second_id = second.json()["order_id"]

    # The new order holds the quote now: a third is refused, naming it.
    third = await client.post("/api/v1/orders", json=body, headers=deals.rep_n)
    assert third.status_code == 409, third.text
    assert second_id in third.json()["detail"]
    stored = await components(app.state.runtime).orders.find({"quote_id": deals.quote_1})
    assert {order.order_id: order.status.value for order in stored} == {
        first_id: "cancelled",
        second_id: "placed",
    }


async def test_two_orders_placed_at_once_from_one_quote_make_one(
    app: FastAPI, client: httpx.AsyncClient, deals: Deals
) -> None:
    await accept(client, deals.quote_1, deals.rep_n)
    body = {"customer_id": "c-1", "lines": LINES, "quote_id": deals.quote_1}

    answers = await asyncio.gather(
        *(client.post("/api/v1/orders", json=body, headers=deals.rep_n) for _ in range(4))
    )

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201, 409, 409, 409], [answer.text for answer in answers]
    [made] = [answer.json() for answer in answers if answer.status_code == 201]
    for refused in (answer.json() for answer in answers if answer.status_code == 409):
        assert refused["field"] == "quote_id"
        assert made["order_id"] in refused["detail"]
    stored = await components(app.state.runtime).orders.find({"quote_id": deals.quote_1})
    assert [order.order_id for order in stored] == [made["order_id"]]


async def test_a_new_opportunity_names_only_a_free_quote_of_its_customer_the_caller_may_see(
    app: FastAPI,
    client: httpx.AsyncClient,
    recorder: Any,
    eventually: Callable[..., Any],
    deals: Deals,
) -> None:
    parts = components(app.state.runtime)
    stored = await parts.opportunities.count({})
    south_quote = created(
        await client.post(
            "/api/v1/quotes",
            json={"customer_id": "c-south", "terms": {"lines": LINES}},
            headers=deals.rep_s,
        ),
        "quote_id",
    )

    def open_deal(quote_id: str) -> Any:
        body = {"name": "Renewal", "customer_id": "c-1", "quote_id": quote_id}
        return client.post("/api/v1/opportunities", json=body, headers=deals.rep_n)

    unknown = await open_deal("q-nobody")
    hidden = await open_deal(south_quote)  # rep-s's, of team south
    other_customers = await open_deal(deals.quote_2)
    other_deals = await open_deal(deals.quote_1)  # drawn up for deal_1
    for refused in (unknown, hidden, other_customers, other_deals):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    assert unknown.json()["errors"] == NO_QUOTE
    assert {k: hidden.json()[k] for k in ("type", "detail", "errors")} == {
        k: unknown.json()[k] for k in ("type", "detail", "errors")
    }
    assert other_customers.json()["errors"] == [
        {"field": "body.quote_id", "reason": OTHER_CUSTOMER}
    ]
    assert other_deals.json()["errors"] == [
        {"field": "body.quote_id", "reason": "belongs to another opportunity"}
    ]
    assert await parts.opportunities.count({}) == stored

    free_quote = created(
        await client.post(
            "/api/v1/quotes",
            json={"customer_id": "c-1", "terms": {"lines": LINES}},
            headers=deals.rep_n,
        ),
        "quote_id",
    )
    made = await open_deal(free_quote)
    assert made.status_code == 201, made.text
    assert made.json()["quote_id"] == free_quote
    new_deal = made.json()["opportunity_id"]

    async def announced() -> bool:
        events = recorder.of_type(sales.OpportunityCreated.TYPE)
        return new_deal in {event.data["opportunity_id"] for event in events}

    await eventually(announced, what="the new deal's opportunity.created")
    # The refused ones were never announced: every deal told of is one that was stored.
    known = {deals.deal_1, deals.other_deal_1, deals.deal_2, deals.deal_south, new_deal}
    told = {e.data["opportunity_id"] for e in recorder.of_type(sales.OpportunityCreated.TYPE)}
    assert told <= known


async def test_an_opportunity_is_given_only_a_quote_of_its_customer_and_of_no_other_deal(
    client: httpx.AsyncClient, deals: Deals
) -> None:
    south_quote = created(
        await client.post(
            "/api/v1/quotes",
            json={"customer_id": "c-south", "terms": {"lines": LINES}},
            headers=deals.rep_s,
        ),
        "quote_id",
    )
    url = f"/api/v1/opportunities/{deals.other_deal_1}"
    before = await client.get(url, headers=deals.rep_n)

    async def give(quote_id: str) -> httpx.Response:
        return await client.patch(
            url,
            json={"name": "Renamed", "quote_id": quote_id},
            headers={**deals.rep_n, "If-Match": before.headers["ETag"]},
        )

    unknown = await give("q-nobody")
    hidden = await give(south_quote)
    other_customers = await give(deals.quote_2)
    other_deals = await give(deals.quote_1)  # drawn up for deal_1
    for refused in (unknown, hidden, other_customers, other_deals):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    assert unknown.json()["errors"] == NO_QUOTE
    assert {k: hidden.json()[k] for k in ("type", "detail", "errors")} == {
        k: unknown.json()[k] for k in ("type", "detail", "errors")
    }
    assert other_customers.json()["errors"] == [
        {"field": "body.quote_id", "reason": OTHER_CUSTOMER}
    ]
    assert other_deals.json()["errors"] == [
        {"field": "body.quote_id", "reason": "belongs to another opportunity"}
    ]
    after = await client.get(url, headers=deals.rep_n)
    assert after.json() == before.json()  # nothing of the refused edits was stored

    # deal_1's own quote is deal_1's to name.
    deal_1 = f"/api/v1/opportunities/{deals.deal_1}"
    etag = (await client.get(deal_1, headers=deals.rep_n)).headers["ETag"]
    given = await client.patch(
        deal_1, json={"quote_id": deals.quote_1}, headers={**deals.rep_n, "If-Match": etag}
    )
    assert given.status_code == 200, given.text
    assert given.json()["quote_id"] == deals.quote_1


async def test_an_opportunity_keeping_the_quote_it_names_is_not_checked_again(
    app: FastAPI, client: httpx.AsyncClient, deals: Deals
) -> None:
    # A deal stored before quotes were checked may name one nobody can name now; the
    # console sends its edit form back whole, quote included, and it still saves.
    parts = components(app.state.runtime)
    deal = await parts.opportunities.get(deals.deal_2)
    assert deal is not None
    await parts.opportunities.save(deal.model_copy(update={"quote_id": "q-gone"}), deal.version)
    url = f"/api/v1/opportunities/{deals.deal_2}"
    etag = (await client.get(url, headers=deals.rep_n)).headers["ETag"]

    kept = await client.patch(
        url,
        json={"name": "Renamed", "quote_id": "q-gone"},
        headers={**deals.rep_n, "If-Match": etag},
    )

    assert kept.status_code == 200, kept.text
    assert (kept.json()["name"], kept.json()["quote_id"]) == ("Renamed", "q-gone")
