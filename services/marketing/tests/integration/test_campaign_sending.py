"""Must-show: a campaign to 1,000 customers goes out through SMTP, higher tiers first,
consent respected, opens and clicks counted (M-4, M-5, M-7)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from crm_chassis.testing import wait_until
from crm_localinfra.smtp import CapturedMessage, SmtpCapture

from .conftest import Service
from .journeys import launch, metrics, prepare_email_campaign, seed_customers, wait_until_sent

pytestmark = pytest.mark.integration

LINK = re.compile(r'href="(http://gateway\.test/api/v1/mail/click/[^"]+)"')
PIXEL = re.compile(r'src="(http://gateway\.test/api/v1/mail/open/[^"]+)"')


def _of_campaign(smtp: SmtpCapture, campaign_id: str) -> list[CapturedMessage]:
    return [m for m in smtp.messages() if m.message.get("X-CRM-Campaign") == campaign_id]


def _html(message: CapturedMessage) -> str:
    part = message.message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


async def test_campaign_to_1000_customers_sends_vip_first_respects_consent_and_counts_engagement(
    service: Service, mailbox: SmtpCapture
) -> None:
    customers = await seed_customers(service, {"normal": 700, "vip": 200, "svip": 100})
    await seed_customers(service, {"vip": 5}, region="south")  # outside the segment
    unsubscribed, suppressed = customers[0], customers[1]
    response = await service.client.put(
        f"/api/v1/subscriptions/{unsubscribed.customer_id}/channels/email",
        json={"subscribed": False},
        headers=service.marketer,
    )
    assert response.status_code == 200, response.text
    response = await service.client.post(
        "/api/v1/suppressions",
        json={"email": suppressed.email, "reason": "complaint"},
        headers=service.marketer,
    )
    assert response.status_code == 201, response.text
    campaign = await prepare_email_campaign(service, {"regions": ["north"]})

    summary = await launch(service, campaign["id"])
    assert summary == {
        "campaign_id": campaign["id"],
        "audience": 1000,
        "queued": 998,
        "suppressed": 2,
        "newly_queued": 1000,
    }
    await wait_until_sent(service, campaign["id"])

    captured = _of_campaign(mailbox, campaign["id"])
    recipients = Counter(r for m in captured for r in m.rcpt_tos)
    assert len(captured) == 998
    assert set(recipients.values()) == {1}, "nobody receives the message twice"
    assert unsubscribed.email not in recipients
    assert suppressed.email not in recipients
    tier_of = {c.email: c.tier for c in customers}
    send_order = [tier_of[m.rcpt_tos[0]] for m in sorted(captured, key=lambda m: m.path.name)]
    first_normal = send_order.index("normal")
    assert set(send_order[:first_normal]) == {"svip", "vip"}
    assert first_normal == 300
    assert "normal" not in send_order[:first_normal]
    assert set(send_order[first_normal:]) == {"normal"}

    sample = captured[-1]
    assert sample.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sample.message["Subject"].startswith("Hello Customer")
    html = _html(sample)
    pixel = PIXEL.search(html)
    link = LINK.search(html)
    assert pixel
    assert link
    opened = await service.client.get(pixel.group(1).removeprefix("http://gateway.test"))
    assert opened.status_code == 200
    assert opened.headers["content-type"] == "image/gif"
    clicked = await service.client.get(link.group(1).removeprefix("http://gateway.test"))
    assert clicked.status_code == 302
    assert clicked.headers["location"] == "https://shop.example.org/spring?src=mail"

    figures = await metrics(service, campaign["id"])
    assert figures["sent"] == 998
    assert figures["suppressed"] == 2
    assert figures["opened"] == 1
    assert figures["clicked"] == 1
    assert figures["participation_rate"] == "0.0010"
    assert figures["click_rate"] == "0.0010"

    async def metrics_published() -> bool:
        snapshots = service.bus.of_type("crm.marketing.campaign.metrics_updated.v1")
        return any(s["data"]["clicked"] == 1 and s["data"]["sent"] == 998 for s in snapshots)

    await wait_until(metrics_published, timeout=60, what="metrics snapshot with the click")
