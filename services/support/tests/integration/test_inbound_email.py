"""Inbound e-mail (T-1): a message becomes a ticket, a reply threads onto it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx
import pytest

from crm_contracts.events.customer import CustomerCreated
from crm_localinfra.smtp import CapturedMessage, SmtpCapture
from support.domain.mail_signature import sign_inbound_mail

pytestmark = pytest.mark.integration


def mail(
    message_id: str,
    *,
    subject: str = "Refund for a double charge",
    body: str = "I was charged twice for order 1001, please refund one payment.",
    sender: str = "Chen Jing <chen.jing@example.com>",
    in_reply_to: str | None = None,
    attachment: bytes | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@crm.example.org"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(attachment, maintype="text", subtype="plain", filename="log.txt")
    return bytes(message)


async def post_mail(support, raw: bytes, *, secret: str | None = None) -> httpx.Response:
    """Post ``raw`` as the mail provider does, signed with the secret (or ``secret``)."""
    key = secret or support.settings.inbound_email_secret.get_secret_value()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "message/rfc822",
        "X-Signature-Timestamp": str(timestamp),
        "X-Signature": sign_inbound_mail(key, timestamp, raw),
    }
    return await support.client.post("/api/v1/inbound-email", content=raw, headers=headers)


async def test_inbound_email_becomes_a_ticket_and_a_reply_threads_onto_it(
    support,
) -> None:
    first = await post_mail(support, mail("<m1@mail.example.com>", attachment=b"error 42"))
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    ticket_id = first.json()["ticket_id"]
    ticket = (
        await support.client.get(f"/api/v1/tickets/{ticket_id}", headers=support.auth())
    ).json()
    assert ticket["channel"] == "email"
    assert ticket["type"] == "billing"  # classified from the text
    assert ticket["requester_email"] == "chen.jing@example.com"
    assert ticket["subject"] == "Refund for a double charge"
    attachments = await support.client.get(
        f"/api/v1/tickets/{ticket_id}/attachments", headers=support.auth()
    )
    assert [a["filename"] for a in attachments.json()] == ["log.txt"]

    reply = mail(
        "<m2@mail.example.com>",
        subject="Re: Refund for a double charge",
        body="Here is the receipt.\n\nOn Monday support wrote:\n> Which order?",
        in_reply_to="<m1@mail.example.com>",
    )
    threaded = await post_mail(support, reply)
    assert threaded.status_code == 201, threaded.text
    assert threaded.json() == {**threaded.json(), "ticket_id": ticket_id, "created": False}

    ticket = (
        await support.client.get(f"/api/v1/tickets/{ticket_id}", headers=support.auth())
    ).json()
    assert [m["body"] for m in ticket["messages"]][-1] == "Here is the receipt."
    assert len(ticket["messages"]) == 2
    listed = await support.client.get("/api/v1/tickets", headers=support.auth())
    assert listed.json()["total"] == 1


async def test_agent_reply_is_mailed_and_the_customers_answer_threads_onto_it(
    support, smtp_server: SmtpCapture
) -> None:
    customer = f"{support.settings.service_name}@example.com"
    created = await post_mail(support, mail("<r1@mail.example.com>", sender=customer))
    ticket_id = created.json()["ticket_id"]
    url = f"/api/v1/tickets/{ticket_id}"
    await support.client.post(
        f"{url}/messages", json={"body": "Note", "visibility": "internal"}, headers=support.auth()
    )
    await support.client.post(
        f"{url}/messages", json={"body": "Which order number?"}, headers=support.auth()
    )

    def reply_to_customer(message: CapturedMessage) -> bool:
        return customer in message.rcpt_tos

    mailed = await asyncio.to_thread(smtp_server.wait_for, reply_to_customer, 15)
    assert mailed.message["In-Reply-To"] == "<r1@mail.example.com>"
    assert created.json()["reference"] in mailed.subject
    assert mailed.text().startswith("Which order number?")
    answer = mail(
        "<r2@mail.example.com>", sender=customer, in_reply_to=str(mailed.message["Message-ID"])
    )
    assert (await post_mail(support, answer)).json()["ticket_id"] == ticket_id
    assert len(smtp_server.messages_to(customer)) == 1  # the internal note was not mailed


async def test_requesters_reply_with_only_the_reference_in_the_subject_threads(
    support,
) -> None:
    first = (await post_mail(support, mail("<a1@mail.example.com>"))).json()
    reply = mail("<a2@other.example.com>", subject=f"Re: [{first['reference']}] still waiting")
    threaded = await post_mail(support, reply)
    assert threaded.json()["ticket_id"] == first["ticket_id"]
    stranger = mail(
        "<a3@evil.example.com>", subject=f"[{first['reference']}] hi", sender="x@evil.example.com"
    )
    assert (await post_mail(support, stranger)).json()["created"] is True


async def test_customer_reply_resumes_a_ticket_waiting_on_them(support) -> None:
    ticket_id = (await post_mail(support, mail("<w1@mail.example.com>"))).json()["ticket_id"]
    url = f"/api/v1/tickets/{ticket_id}"
    await support.client.post(
        f"{url}/messages", json={"body": "Which order?"}, headers=support.auth()
    )
    await support.client.post(
        f"{url}/transitions", json={"to": "waiting_on_customer"}, headers=support.auth()
    )

    await post_mail(support, mail("<w2@mail.example.com>", in_reply_to="<w1@mail.example.com>"))

    ticket = (await support.client.get(url, headers=support.auth())).json()
    assert ticket["status"] == "in_progress"
    assert ticket["sla"]["resolution"]["running"] is True


async def test_same_message_delivered_twice_makes_one_ticket(support) -> None:
    raw = mail("<dup@mail.example.com>")
    assert (await post_mail(support, raw)).status_code == 201
    again = await post_mail(support, raw)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    listed = await support.client.get("/api/v1/tickets", headers=support.auth())
    assert listed.json()["total"] == 1


async def test_same_message_delivered_twice_at_once_makes_one_ticket(support) -> None:
    raw = mail("<race@mail.example.com>")
    responses = await asyncio.gather(post_mail(support, raw), post_mail(support, raw))
    assert sorted(r.status_code for r in responses) == [200, 201]
    listed = await support.client.get("/api/v1/tickets", headers=support.auth())
    assert listed.json()["total"] == 1


async def test_mail_with_a_wrong_signature_is_refused(support) -> None:
    response = await post_mail(support, mail("<bad@mail.example.com>"), secret="not-the-secret")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_mail_from_a_known_customer_is_linked_to_them(support, add_customers) -> None:
    await add_customers(
        CustomerCreated(
            customer_id="c-42",
            member_id="VIP042",
            name="Chen Jing",
            email="Chen.Jing@example.com",
            tier="vip",
            created_at=datetime.now(UTC),
        )
    )
    ticket_id = (await post_mail(support, mail("<k1@mail.example.com>"))).json()["ticket_id"]
    ticket = (
        await support.client.get(f"/api/v1/tickets/{ticket_id}", headers=support.auth())
    ).json()
    assert ticket["customer_id"] == "c-42"
    assert ticket["customer_tier"] == "vip"


async def _reply_and_catch(
    support, smtp_server: SmtpCapture, ticket_id: str, to: str, body: str
) -> CapturedMessage:
    answered = await support.client.post(
        f"/api/v1/tickets/{ticket_id}/messages", json={"body": body}, headers=support.auth()
    )
    assert answered.status_code == 201, answered.text

    def the_reply(message: CapturedMessage) -> bool:
        return to in message.rcpt_tos and message.text().startswith(body)

    return await asyncio.to_thread(smtp_server.wait_for, the_reply, 15)


async def test_a_reply_mail_ends_in_the_customers_language(
    support, smtp_server: SmtpCapture, add_customers
) -> None:
    await add_customers(
        CustomerCreated(
            customer_id="c-zh-mail",
            member_id="VIP101",
            name="Li Lei",
            email="li.lei@example.com",
            created_at=datetime.now(UTC),
            language="zh-CN",
        ),
        CustomerCreated(
            customer_id="c-en-mail",
            member_id="VIP102",
            name="Ann Lee",
            email="ann.lee@example.com",
            created_at=datetime.now(UTC),
            language="en",
        ),
    )
    for sender, message_id in (
        ("li.lei@example.com", "<zh1@mail.example.com>"),
        ("ann.lee@example.com", "<en1@mail.example.com>"),
    ):
        created = (await post_mail(support, mail(message_id, sender=sender))).json()
        reference = created["reference"]
        reply = await _reply_and_catch(
            support, smtp_server, created["ticket_id"], sender, f"Looking into it, {sender}"
        )
        if sender.startswith("li"):
            assert f"工单编号 {reference}：如需补充，直接回复此邮件即可。" in reply.text()  # noqa: RUF001
            assert "reply to this e-mail" not in reply.text()
            assert reply.message["Content-Language"] == "zh-CN"
        else:
            assert f"Reference {reference}: reply to this e-mail." in reply.text()
            assert "工单编号" not in reply.text()
            assert reply.message["Content-Language"] == "en"


async def test_a_reply_to_a_web_form_follows_the_forms_language(
    support, smtp_server: SmtpCapture
) -> None:
    sender = "form.writer@example.com"
    form = {
        "name": "Form Writer",
        "email": sender,
        "subject": "Where is my parcel?",
        "description": "It was due on Monday.",
    }
    receipt = await support.client.post(
        "/api/v1/support-forms/tickets", json=form, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert receipt.status_code == 202, receipt.text
    assert receipt.json()["message"] == "Thank you, we have received your request."
    listed = await support.client.get(
        "/api/v1/tickets", params={"channel": "web"}, headers=support.auth()
    )
    ticket = next(
        t for t in listed.json()["items"] if t["reference"] == receipt.json()["reference"]
    )
    reply = await _reply_and_catch(support, smtp_server, ticket["id"], sender, "It ships today.")
    assert f"Reference {ticket['reference']}: reply to this e-mail." in reply.text()
