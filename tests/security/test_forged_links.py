"""Forged public links and inbound mail (issue 18, item 8): the secrets that used to be
built in sign nothing any more. A click link, a survey answer link and an inbound mail
signed with them are refused through the gateway, with no redirect and no ticket."""

from __future__ import annotations

import time
import uuid
from email.message import EmailMessage

import pytest

from crm_e2e.harness import Platform
from marketing.domain.tracking import LinkClaim, LinkKind, LinkSigner
from support.domain.mail_signature import sign_inbound_mail
from support.domain.surveys import survey_token

pytestmark = pytest.mark.e2e

RETIRED_TRACKING_SECRET = "development-only-tracking-secret-change-me"
RETIRED_INBOUND_SECRET = "dev-inbound-email-secret"
RETIRED_SURVEY_SECRET = "dev-survey-link-secret"


async def test_a_click_link_signed_with_the_retired_secret_redirects_nowhere(
    secured_platform: Platform,
) -> None:
    claim = LinkClaim(LinkKind.CLICK, "d-forged", "https://evil.example.net/phish")
    token = LinkSigner(RETIRED_TRACKING_SECRET).sign(claim)

    async with secured_platform.client() as client:
        response = await client.get(f"/api/v1/mail/click/{token}")

    assert response.status_code == 404
    assert "location" not in response.headers


async def test_inbound_mail_signed_with_the_retired_secret_makes_no_ticket(
    secured_platform: Platform,
) -> None:
    subject = f"Forged {uuid.uuid4().hex[:8]}"
    message = EmailMessage()
    message["From"] = "Mallory <mallory@example.net>"
    message["To"] = "support@crm.example.org"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.net>"
    message.set_content("Please refund order 1001 to my new account.")
    raw = bytes(message)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "message/rfc822",
        "X-Signature-Timestamp": str(timestamp),
        "X-Signature": sign_inbound_mail(RETIRED_INBOUND_SECRET, timestamp, raw),
    }

    async with secured_platform.client() as client:
        response = await client.post("/api/v1/inbound-email", content=raw, headers=headers)
    async with secured_platform.admin() as admin:
        tickets = await admin.get(
            "/api/v1/tickets", params={"channel": "email", "sort": "-opened_at", "limit": 100}
        )

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert tickets.status_code == 200
    assert subject not in [ticket["subject"] for ticket in tickets.json()["items"]]


async def test_a_survey_link_signed_with_the_retired_secret_is_refused(
    secured_platform: Platform,
) -> None:
    survey_id = f"s-{uuid.uuid4().hex[:8]}"
    token = survey_token(RETIRED_SURVEY_SECRET, survey_id)

    async with secured_platform.client() as client:
        question = await client.get(f"/api/v1/surveys/{survey_id}/answer", params={"token": token})
        answer = await client.post(
            f"/api/v1/surveys/{survey_id}/answer", params={"token": token}, json={"score": 1}
        )

    assert (question.status_code, answer.status_code) == (403, 403)
