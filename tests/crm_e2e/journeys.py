"""Steps of end-to-end journeys, each one call (or a short chain of calls) through the
gateway's public API, answering what the step created.

They raise on any unexpected status, so a journey that fails says at which step.
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from crm_chassis.testing import wait_until
from crm_localinfra.smtp import SmtpCapture

SURVEY_LINK = re.compile(r"(/api/v1/surveys/[^/\s]+/answer\?token=\S+)")


def ok(response: httpx.Response, *expected: int) -> Any:
    """The JSON body of a response whose status is one of ``expected`` (200/201 by default)."""
    assert response.status_code in (expected or (200, 201)), (
        f"{response.request.method} {response.request.url.path}: "
        f"{response.status_code} {response.text}"
    )
    return response.json()


async def change(
    client: httpx.AsyncClient, method: str, resource: str, body: dict[str, Any], path: str = ""
) -> Any:
    """Read ``resource`` for its ETag, then send ``body`` to ``resource + path`` with
    ``If-Match``, which updates of a stored resource require (428 without)."""
    read = await client.get(resource)
    ok(read)
    headers = {"If-Match": read.headers["ETag"]}
    return ok(await client.request(method, resource + path, json=body, headers=headers))


async def register_rep(admin: httpx.AsyncClient, rep_id: str, team: str) -> None:
    ok(await admin.put(f"/api/v1/lead-routing-reps/{rep_id}", json={"name": rep_id, "team": team}))


async def create_customer(admin: httpx.AsyncClient, name: str, email: str) -> str:
    body = ok(await admin.post("/api/v1/customers", json={"name": name, "email": email}), 201)
    customer_id: str = body["id"]
    return customer_id


async def post_for_customer(
    client: httpx.AsyncClient, url: str, body: dict[str, Any]
) -> httpx.Response:
    """POST a sales record (opportunity, quote, order, task) naming ``body["customer_id"]``.

    A sales rep or manager may name only a customer sales knows to be theirs, and sales
    hears of a new customer from its event: until then the answer is 422 naming
    ``body.customer_id`` and nothing is written, so this polls with a deadline.
    """
    answers: list[httpx.Response] = []

    async def accepted() -> bool:
        response = await client.post(url, json=body)
        answers.append(response)
        fields = [e.get("field") for e in response.json().get("errors", [])]
        return response.status_code != 422 or fields != ["body.customer_id"]

    await wait_until(accepted, timeout=15, interval=0.1, what=f"sales knows {body['customer_id']}")
    return answers[-1]


async def capture_lead(admin: httpx.AsyncClient, name: str, email: str, company: str) -> str:
    body = ok(
        await admin.post(
            "/api/v1/leads",
            json={"name": name, "email": email, "company": company, "interest_level": 4},
        ),
        201,
    )
    lead_id: str = body["lead_id"]
    return lead_id


async def assign_lead(admin: httpx.AsyncClient, lead_id: str, rep_id: str) -> None:
    body = await change(
        admin, "PUT", f"/api/v1/leads/{lead_id}", {"owner_id": rep_id}, "/assignment"
    )
    assert body["owner_id"] == rep_id, body


async def qualify_and_convert_lead(
    rep: httpx.AsyncClient, lead_id: str, amount: Decimal, expected_close: date
) -> dict[str, str]:
    """The rep qualifies the lead and converts it: the ids of the customer, contact and
    opportunity the conversion chose."""
    body = await change(rep, "PATCH", f"/api/v1/leads/{lead_id}", {"status": "qualified"})
    assert body["status"] == "qualified", body
    ids: dict[str, str] = ok(
        await rep.post(
            f"/api/v1/leads/{lead_id}/conversion",
            json={"amount": str(amount), "expected_close": expected_close.isoformat()},
        ),
        201,
    )
    return ids


async def create_opportunity(
    client: httpx.AsyncClient,
    customer_id: str,
    name: str,
    amount: Decimal,
    expected_close: date,
    owner_id: str | None = None,
) -> str:
    """A deal on ``customer_id``: opened by the rep who owns the customer, or by an
    administrator or manager for ``owner_id``."""
    body = ok(
        await post_for_customer(
            client,
            "/api/v1/opportunities",
            {
                "name": name,
                "customer_id": customer_id,
                "contact_id": f"contact-of-{customer_id}",
                "amount": str(amount),
                "expected_close": expected_close.isoformat(),
                **({} if owner_id is None else {"owner_id": owner_id}),
            },
        ),
        201,
    )
    opportunity_id: str = body["opportunity_id"]
    return opportunity_id


async def fill_gates(rep: httpx.AsyncClient, opportunity_id: str, contract: str) -> None:
    """Everything the default pipeline's gates ask for, so any forward move may pass."""
    await change(
        rep,
        "PATCH",
        f"/api/v1/opportunities/{opportunity_id}",
        {"needs": "A CRM rollout", "decision_maker": "CTO", "contract_number": contract},
    )


async def move_stage(
    rep: httpx.AsyncClient, opportunity_id: str, stage: str, reason: str | None = None
) -> dict[str, Any]:
    body = {"stage": stage} if reason is None else {"stage": stage, "reason": reason}
    moved: dict[str, Any] = await change(
        rep, "PUT", f"/api/v1/opportunities/{opportunity_id}", body, "/stage"
    )
    assert moved["stage"] == stage, moved
    return moved


async def place_paid_order(
    admin: httpx.AsyncClient, customer_id: str, unit_price: Decimal, quantity: int, paid: Decimal
) -> str:
    """An order of one line, invoiced in full, with one payment of ``paid``."""
    order = ok(
        await admin.post(
            "/api/v1/orders",
            json={
                "customer_id": customer_id,
                "lines": [
                    {
                        "product": "CRM seat",
                        "quantity": str(quantity),
                        "unit_price": str(unit_price),
                    }
                ],
            },
        ),
        201,
    )
    invoice = ok(
        await admin.post(
            "/api/v1/invoices", json={"order_id": order["order_id"], "due_date": "2099-01-01"}
        ),
        201,
    )
    ok(
        await admin.post(
            "/api/v1/payments", json={"invoice_id": invoice["invoice_id"], "amount": str(paid)}
        ),
        201,
    )
    order_id: str = order["order_id"]
    return order_id


async def open_ticket(admin: httpx.AsyncClient, customer_id: str, email: str, subject: str) -> str:
    body = ok(
        await admin.post(
            "/api/v1/tickets",
            json={
                "subject": subject,
                "description": f"{subject}: please help.",
                "customer_id": customer_id,
                "requester_email": email,
            },
        ),
        201,
    )
    ticket_id: str = body["id"]
    return ticket_id


async def answer_ticket(agent: httpx.AsyncClient, ticket_id: str, agent_id: str, team: str) -> None:
    """The agent takes the ticket and sends one public reply."""
    ok(
        await agent.post(
            f"/api/v1/tickets/{ticket_id}/assignment", json={"assignee_id": agent_id, "team": team}
        )
    )
    ok(
        await agent.post(
            f"/api/v1/tickets/{ticket_id}/messages",
            json={"body": "Done on our side, please check.", "visibility": "public"},
        )
    )


async def resolve_ticket(agent: httpx.AsyncClient, ticket_id: str) -> None:
    ok(await agent.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"to": "resolved"}))


async def answer_survey(
    public: httpx.AsyncClient, smtp: SmtpCapture, email: str, score: int
) -> None:
    """Answer the satisfaction survey mailed to ``email`` through the link in the mail."""
    links: list[str] = []

    async def mailed() -> bool:
        for message in smtp.messages_to(email):
            if message.subject.startswith("How did we do?"):
                found = SURVEY_LINK.search(message.text())
                if found:
                    links.append(found.group(1))
                    return True
        return False

    await wait_until(mailed, timeout=15, interval=0.1, what=f"survey mailed to {email}")
    ok(await public.post(links[0], json={"score": score, "comment": f"{score} of 5"}))


OPEN_PIXEL = re.compile(r'(/api/v1/mail/open/[^"\s]+)')
CLICK_LINK = re.compile(r'(/api/v1/mail/click/[^"\s]+)')


async def launch_campaign(
    marketer: httpx.AsyncClient, name: str, customer_ids: list[str], cost: Decimal
) -> str:
    """A campaign of one email to a static segment, sent at once: its id."""
    segment = ok(
        await marketer.post(
            "/api/v1/segments",
            json={"name": f"{name} audience", "kind": "static", "customer_ids": customer_ids},
        ),
        201,
    )

    async def audience_known() -> bool:
        preview = ok(await marketer.get(f"/api/v1/segments/{segment['id']}/preview"))
        return bool(preview["count"] == len(customer_ids))

    # Marketing knows customers from their events; wait until it knows the whole audience.
    await wait_until(audience_known, timeout=15, interval=0.1, what="segment audience")
    template = ok(
        await marketer.post(
            "/api/v1/email-templates",
            json={
                "name": f"{name} mail",
                "subject": name,
                "html": '<p>Hello {{ customer_name }}, see <a href="https://example.com/offer">'
                "our offer</a>.</p>",
            },
        ),
        201,
    )
    campaign = ok(
        await marketer.post(
            "/api/v1/campaigns",
            json={
                "name": name,
                "channels": ["email"],
                "budget": "1000.00",
                "cost": str(cost),
                "segment_id": segment["id"],
                "template_id": template["id"],
            },
        ),
        201,
    )
    preparing = ok(
        await marketer.post(
            f"/api/v1/campaigns/{campaign['id']}/status", json={"status": "preparing"}
        )
    )
    assert preparing["status"] == "preparing", preparing
    ok(await marketer.post(f"/api/v1/campaigns/{campaign['id']}/deliveries"), 202)
    campaign_id: str = campaign["id"]
    return campaign_id


async def campaign_mail_links(smtp: SmtpCapture, email: str, subject: str) -> tuple[str, str]:
    """The open pixel and click link (gateway paths) of the campaign mail to ``email``."""
    links: list[tuple[str, str]] = []

    async def mailed() -> bool:
        for message in smtp.messages_to(email):
            if message.subject == subject:
                part = message.message.get_body(preferencelist=("html",))
                content = "" if part is None else html.unescape(str(part.get_content()))
                pixel, click = OPEN_PIXEL.search(content), CLICK_LINK.search(content)
                if pixel and click:
                    links.append((pixel.group(1), click.group(1)))
                    return True
        return False

    await wait_until(mailed, timeout=20, interval=0.1, what=f"campaign mail to {email}")
    return links[0]
