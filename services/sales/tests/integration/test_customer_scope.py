"""New sales records name only customers the caller may see (issue 18, finding 4).

An opportunity, quote or order counts towards its customer's spend and tier, and a task
puts its customer onto the assignee's list, so a rep may attach one only to a customer
they own, a manager to their team's, as the customer service shows customers; sales
decides from its copy of customers.
"""

from __future__ import annotations

from collections.abc import Callable
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
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/opportunities": {"name": "Deal", "amount": "500.00"},
    "/api/v1/orders": {"lines": LINES},
    "/api/v1/quotes": {"terms": {"lines": LINES}},
    "/api/v1/tasks": {"title": "Call back"},
}
# Whose a record is: a task is its assignee's (its creator's, when named to nobody).
OWNER_FIELD = {url: "assignee_id" if url == "/api/v1/tasks" else "owner_id" for url in BODIES}
NO_CUSTOMER = [{"field": "body.customer_id", "reason": "no customer with this id you may see"}]


@pytest.fixture
async def customers_of_two_teams(
    client: httpx.AsyncClient,
    as_role: Callable[..., dict[str, str]],
    publish: Callable[..., Any],
    eventually: Callable[..., Any],
) -> None:
    """c-north owned by rep-n of team north, c-south by rep-s of team south, both in
    sales' copy of customers."""
    owners = {"c-north": ("rep-n", "north"), "c-south": ("rep-s", "south")}
    for customer_id, (owner, team) in owners.items():
        await publish(
            customer.CustomerCreated(
                customer_id=customer_id,
                member_id="VIP1",
                name=customer_id,
                owner_id=owner,
                team=team,
                created_at=datetime.now(UTC),
            )
        )

    async def known() -> bool:
        for customer_id, (owner, team) in owners.items():
            tried = await client.post(
                "/api/v1/quotes",
                json={"customer_id": customer_id, "terms": {"lines": LINES}},
                headers=as_role(Role.SALES_REP, subject=owner, team=team),
            )
            if tried.status_code != 201:
                return False
        return True

    await eventually(known)


@pytest.mark.parametrize("url", sorted(BODIES))
@pytest.mark.usefixtures("customers_of_two_teams")
async def test_a_record_names_only_a_customer_the_caller_may_see(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    url: str,
) -> None:
    def post(customer_id: str, headers: dict[str, str]) -> Any:
        return client.post(url, json={**BODIES[url], "customer_id": customer_id}, headers=headers)

    rep = as_role(Role.SALES_REP, subject="rep-n", team="north")
    north_manager = as_role(Role.SALES_MANAGER, subject="mgr-n", team="north")
    south_manager = as_role(Role.SALES_MANAGER, subject="mgr-s", team="south")
    integration = as_role(Role.INTEGRATION, subject="erp")

    theirs = await post("c-south", rep)
    unknown = await post("c-nobody", rep)
    assert (theirs.status_code, unknown.status_code) == (422, 422)
    assert theirs.json()["errors"] == NO_CUSTOMER
    assert unknown.json()["errors"] == theirs.json()["errors"]
    assert (await post("c-north", rep)).status_code == 201
    assert (await post("c-south", north_manager)).status_code == 422
    assert (await post("c-south", south_manager)).status_code == 201
    # Integrations and administrators see every customer; the copy may lag behind them.
    assert (await post("c-nobody", integration)).status_code == 201
    listed = await client.get(url, params={"customer_id": "c-south"}, headers=admin)
    owners = {item[OWNER_FIELD[url]] for item in listed.json()["items"]}
    assert "mgr-s" in owners
    assert not owners & {"rep-n", "mgr-n"}  # the refused ones wrote nothing


@pytest.mark.usefixtures("customers_of_two_teams")
async def test_a_task_for_a_customer_the_caller_may_not_see_is_refused_before_anyone_is_told(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    as_role: Callable[..., dict[str, str]],
    recorder: Any,
    eventually: Callable[..., Any],
) -> None:
    rep = await client.put(
        "/api/v1/lead-routing-reps/rep-n", json={"name": "rep-n", "team": "north"}, headers=admin
    )
    assert rep.status_code == 200, rep.text
    north_manager = as_role(Role.SALES_MANAGER, subject="mgr-n", team="north")
    parts = components(app.state.runtime)
    stored = await parts.tasks.count({})

    def assign(customer_id: str, **more: Any) -> Any:
        body = {"title": "Visit", "assignee_id": "rep-n", "customer_id": customer_id, **more}
        return client.post("/api/v1/tasks", json=body, headers=north_manager)

    refused = [
        await assign("c-south"),
        await assign("c-nobody"),
        await assign("c-south", assignee_id=None, auto_assign={"team": "north"}),
    ]
    for answer in refused:
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"] == NO_CUSTOMER
    assert refused[0].json()["detail"] == "No customer 'c-south' that you may see."
    assert await parts.tasks.count({}) == stored
    reps = await client.get("/api/v1/lead-routing-reps", headers=admin)
    [rep_n] = [rep for rep in reps.json() if rep["rep_id"] == "rep-n"]
    assert rep_n["open_tasks"] == 0  # no load counted for the refused ones

    made = await assign("c-north")
    assert made.status_code == 201, made.text
    await eventually(lambda: recorder.of_type(sales.TaskAssigned.TYPE), what="task.assigned")
    # Only the accepted task told its assignee.
    told = [event.data["task_id"] for event in recorder.of_type(sales.TaskAssigned.TYPE)]
    assert told == [made.json()["task_id"]]


async def test_the_owner_of_a_converted_lead_may_quote_its_new_customer_at_once(
    client: httpx.AsyncClient, as_role: Callable[..., dict[str, str]], north_china: Any
) -> None:
    rep = as_role(Role.SALES_REP, subject="rep-bj-1", team="north-china")
    lead = await client.post(
        "/api/v1/leads", json={"name": "Wang Fang", "company": "Hebei Steel"}, headers=rep
    )
    assert lead.status_code == 201, lead.text
    url = f"/api/v1/leads/{lead.json()['lead_id']}"
    qualified = await client.patch(
        url,
        json={"status": "qualified"},
        headers={**rep, "If-Match": f'"{lead.json()["version"]}"'},
    )
    assert qualified.status_code == 200, qualified.text
    converted = await client.post(f"{url}/conversion", json={}, headers=rep)
    assert converted.status_code == 201, converted.text

    quote = await client.post(
        "/api/v1/quotes",
        json={"customer_id": converted.json()["customer_id"], "terms": {"lines": LINES}},
        headers=rep,
    )

    assert quote.status_code == 201, quote.text
