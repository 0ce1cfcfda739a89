"""The public support form: anyone may type anyone's address, so it never links a customer.

A ticket from the form stays with its unverified requester until an agent links it to
the customer it is from (``PUT /api/v1/tickets/{id}/customer``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events.customer import CustomerCreated

pytestmark = pytest.mark.integration

FORM = "/api/v1/support-forms/tickets"
OPENED = "crm.support.ticket.opened.v1"


def form(email: str) -> dict[str, str]:
    return {
        "name": "Someone",
        "email": email,
        "subject": "Please call me back",
        "description": "I would like to change the address on my account.",
    }


async def vip_customer(add_customers: Any) -> None:
    await add_customers(
        CustomerCreated(
            customer_id="c-vip",
            member_id="M1",
            name="Very Important",
            email="vip@example.com",
            owner_id="rep-1",
            tier="vip",
            created_at=datetime.now(UTC),
        )
    )


async def form_ticket(support: Any, email: str) -> dict[str, Any]:
    """Submit the form anonymously; the stored ticket as an agent sees it."""
    receipt = await support.client.post(FORM, json=form(email))
    assert receipt.status_code == 202, receipt.text
    listed = await support.client.get(
        "/api/v1/tickets", params={"channel": "web"}, headers=support.auth()
    )
    reference = receipt.json()["reference"]
    ticket: dict[str, Any] = next(t for t in listed.json()["items"] if t["reference"] == reference)
    return ticket


async def opened_events(events: Any, ticket_id: str, count: int) -> list[dict[str, Any]]:
    async def announced() -> bool:
        found = [e for e in events.of_type(OPENED) if e["data"]["ticket_id"] == ticket_id]
        return len(found) >= count

    await wait_until(announced, timeout=10, what=f"{count} ticket.opened of {ticket_id}")
    return [e["data"] for e in events.of_type(OPENED) if e["data"]["ticket_id"] == ticket_id]


async def test_the_form_does_not_attach_a_ticket_to_the_customer_owning_the_typed_email(
    support, events, add_customers
) -> None:
    await vip_customer(add_customers)
    known = await support.client.post(FORM, json=form("vip@example.com"))
    unknown = await support.client.post(FORM, json=form("nobody@example.com"))
    assert known.status_code == unknown.status_code == 202
    assert known.json().keys() == unknown.json().keys()
    assert known.json()["message"] == unknown.json()["message"]

    listed = await support.client.get(
        "/api/v1/tickets", params={"channel": "web"}, headers=support.auth()
    )
    ticket = next(t for t in listed.json()["items"] if t["reference"] == known.json()["reference"])
    assert (ticket["customer_id"], ticket["customer_tier"]) == (None, "normal")
    assert ticket["requester_email"] == "vip@example.com"
    # Not in the customer's owner's queue, not announced as the customer's ticket.
    rep = support.auth(Role.SALES_REP, subject="rep-1")
    assert (await support.client.get("/api/v1/tickets", headers=rep)).json()["total"] == 0
    [opened] = await opened_events(events, ticket["id"], 1)
    assert opened["customer_id"] is None


async def test_the_receipt_is_in_the_forms_language_else_the_browsers(support) -> None:
    chinese = "谢谢，我们已收到您的请求。"  # noqa: RUF001
    english = "Thank you, we have received your request."
    cases: list[tuple[dict[str, str], dict[str, str], str]] = [
        ({}, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, chinese),
        ({}, {"Accept-Language": "en-US,en;q=0.9"}, english),
        ({"lang": "zh-CN"}, {"Accept-Language": "en"}, chinese),
        ({"lang": "en"}, {"Accept-Language": "zh-CN"}, english),
        ({}, {}, chinese),
    ]
    for extra, headers, message in cases:
        receipt = await support.client.post(
            FORM, json={**form("lang@example.com"), **extra}, headers=headers
        )
        assert receipt.status_code == 202, receipt.text
        assert receipt.json()["message"] == message, (extra, headers)
    trapped = await support.client.post(
        FORM, json={**form("bot@example.com"), "website": "x"}, headers={"Accept-Language": "en"}
    )
    assert trapped.json() == {"reference": None, "message": english}
    wrong = await support.client.post(FORM, json={**form("lang@example.com"), "lang": "fr"})
    assert wrong.status_code == 422
    assert "lang" in wrong.text


async def test_an_agent_links_a_form_ticket_and_its_opening_is_announced_for_the_customer(
    support, events, add_customers
) -> None:
    await vip_customer(add_customers)
    ticket = await form_ticket(support, "vip@example.com")
    url = f"/api/v1/tickets/{ticket['id']}"
    context = (await support.client.get(f"{url}/context", headers=support.auth())).json()
    assert context["customer"] is None
    assert context["requester_match"]["id"] == "c-vip"

    linked = await support.client.put(
        f"{url}/customer", json={"customer_id": "c-vip"}, headers=support.auth()
    )
    assert linked.status_code == 200, linked.text
    assert (linked.json()["customer_id"], linked.json()["customer_tier"]) == ("c-vip", "vip")
    assert linked.headers["etag"] == f'"{ticket["version"] + 1}"'
    first, again = await opened_events(events, ticket["id"], 2)
    assert (first["customer_id"], again["customer_id"]) == (None, "c-vip")
    opened_at = [datetime.fromisoformat(e["opened_at"]) for e in (first, again)]
    assert abs(opened_at[1] - opened_at[0]) < timedelta(milliseconds=1)  # as stored
    rep = support.auth(Role.SALES_REP, subject="rep-1")
    assert (await support.client.get(url, headers=rep)).status_code == 200

    relinked = await support.client.put(
        f"{url}/customer", json={"customer_id": "c-vip"}, headers=support.auth()
    )
    assert relinked.status_code == 409


async def test_each_opening_of_a_form_ticket_names_the_first_response_due_then(
    support: Any, events: Any, add_customers: Any
) -> None:
    """The opening names the first-response deadline (issue #17): the default for an
    unknown requester at first, the linked customer's tier's once an agent links them
    (the customer's acknowledgement quotes it), the time already used kept."""
    await vip_customer(add_customers)
    ticket = await form_ticket(support, "vip@example.com")
    linked = await support.client.put(
        f"/api/v1/tickets/{ticket['id']}/customer",
        json={"customer_id": "c-vip"},
        headers=support.auth(),
    )
    assert linked.status_code == 200, linked.text

    first, again = await opened_events(events, ticket["id"], 2)
    opened_at = datetime.fromisoformat(first["opened_at"])
    first_due = datetime.fromisoformat(first["first_response_due"])
    assert abs(first_due - (opened_at + timedelta(hours=24))) < timedelta(milliseconds=1)
    linked_due = datetime.fromisoformat(again["first_response_due"])
    assert linked_due == datetime.fromisoformat(linked.json()["sla"]["first_response"]["due_at"])
    assert abs(linked_due - (opened_at + timedelta(hours=4))) < timedelta(milliseconds=5)


async def test_linking_to_an_unknown_customer_is_refused_with_422(support) -> None:
    ticket = await form_ticket(support, "someone@example.com")
    response = await support.client.put(
        f"/api/v1/tickets/{ticket['id']}/customer",
        json={"customer_id": "no-such-customer"},
        headers=support.auth(),
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.customer_id"]
    stored = (
        await support.client.get(f"/api/v1/tickets/{ticket['id']}", headers=support.auth())
    ).json()
    assert stored["customer_id"] is None
