"""Satisfaction surveys by SMTP after resolution (T-6) and the knowledge base (T-5)."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlparse

import pytest

from crm_chassis.testing import wait_until
from crm_localinfra.smtp import CapturedMessage, SmtpCapture

pytestmark = pytest.mark.integration


async def test_resolved_ticket_gets_one_survey_by_mail_answered_once(
    support, events, smtp_server: SmtpCapture, bodies
) -> None:
    email = f"{support.settings.service_name}@example.com"
    headers = support.auth()
    ticket = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(requester_email=email), headers=headers
        )
    ).json()
    url = f"/api/v1/tickets/{ticket['id']}"
    await support.client.post(
        f"{url}/messages", json={"body": "Fixed on our side."}, headers=headers
    )
    resolved = await support.client.post(
        f"{url}/transitions", json={"to": "resolved"}, headers=headers
    )
    assert resolved.status_code == 200, resolved.text

    def survey_for_this_ticket(message: CapturedMessage) -> bool:
        return email in message.rcpt_tos and "X-CRM-Survey-Id" in message.message

    mailed = await asyncio.to_thread(smtp_server.wait_for, survey_for_this_ticket, 15)
    assert ticket["reference"] in mailed.subject
    link = next(line for line in mailed.text().splitlines() if "/answer?token=" in line)
    parsed = urlparse(link.strip())
    token = parse_qs(parsed.query)["token"][0]

    answer = await support.client.post(
        parsed.path, params={"token": token}, json={"score": 5, "comment": "Great help"}
    )
    assert answer.status_code == 200, answer.text
    again = await support.client.post(parsed.path, params={"token": token}, json={"score": 1})
    assert again.status_code == 409
    forged = await support.client.post(parsed.path, params={"token": "0" * 64}, json={"score": 1})
    assert forged.status_code == 403

    tracking = (await support.client.get("/api/v1/surveys/tracking", headers=headers)).json()
    assert (tracking["sent"], tracking["answered"], tracking["response_rate"]) == (1, 1, 1.0)

    async def answered_published() -> bool:
        return bool(events.of_type("crm.support.survey.answered.v1"))

    await wait_until(answered_published, timeout=10, what="survey.answered event")
    assert events.of_type("crm.support.survey.answered.v1")[0]["data"]["score"] == 5
    surveys_mailed = [m for m in smtp_server.messages_to(email) if survey_for_this_ticket(m)]
    assert len(surveys_mailed) == 1


async def test_knowledge_search_ranks_published_articles_and_suggests_them_for_a_ticket(
    support, bodies
) -> None:
    writer = support.auth()

    def article(
        title: str, body: str, category: str = "account", **extra: object
    ) -> dict[str, object]:
        return {"title": title, "body": body, "category": category, **extra}

    articles = [
        article(
            "Reset your password",
            "Use the forgot password link.",
            tags=["login"],
            status="published",
        ),
        article("Account settings", "Change your password or e-mail here.", status="published"),
        article("Password policy draft", "Passwords need 12 characters."),
        article("Download invoices", "Invoices are PDF files.", "billing", status="published"),
    ]
    ids = []
    for article in articles:
        created = await support.client.post(
            "/api/v1/knowledge-articles", json=article, headers=writer
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])

    hits = await support.client.get(
        "/api/v1/knowledge-articles/search", params={"q": "reset password"}, headers=writer
    )
    assert [h["article"]["id"] for h in hits.json()] == [ids[0], ids[1]]  # drafts are not found

    ticket = (
        await support.client.post(
            "/api/v1/tickets", json=bodies.ticket(subject="Forgot my password"), headers=writer
        )
    ).json()
    context = await support.client.get(f"/api/v1/tickets/{ticket['id']}/context", headers=writer)
    assert context.json()["suggested_articles"][0]["id"] == ids[0]
