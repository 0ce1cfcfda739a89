"""Campaign lifecycle and record rules (M-1), one-click unsubscribe and tracking links
(M-5), conversions and ROI from sales orders (M-7)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events.sales import OrderPlaced
from crm_localinfra.smtp import SmtpCapture
from marketing.domain.tracking import LinkClaim, LinkKind, LinkSigner

from .conftest import Service
from .factories import campaign_body
from .journeys import (
    create,
    launch,
    metrics,
    prepare_email_campaign,
    seed_customers,
    wait_until_sent,
)

pytestmark = pytest.mark.integration

STATUS_CHANGED = "crm.marketing.campaign.status_changed.v1"


async def test_campaign_moves_only_through_valid_transitions_and_publishes_each(
    service: Service,
) -> None:
    campaign = await create(service, "/api/v1/campaigns", campaign_body(channels=["event"]))
    path = f"/api/v1/campaigns/{campaign['id']}/status"
    skipped = await service.client.post(
        path, json={"status": "completed"}, headers=service.marketer
    )
    assert skipped.status_code == 409
    assert skipped.json()["errors"][0]["field"] == "body.status"
    for step in ("preparing", "running", "completed"):
        response = await service.client.post(path, json={"status": step}, headers=service.marketer)
        assert response.status_code == 200, response.text
    reopened = await service.client.post(path, json={"status": "running"}, headers=service.marketer)
    assert reopened.status_code == 409

    async def published() -> bool:
        statuses = [
            e["data"]["status"]
            for e in service.bus.of_type(STATUS_CHANGED)
            if e["data"]["campaign_id"] == campaign["id"]
        ]
        return statuses == ["planned", "preparing", "running", "completed"]

    await wait_until(published, timeout=20, what="status events")


async def test_a_completed_campaign_names_its_owner_and_team(service: Service) -> None:
    """The owner is told when their campaign completes (issue #17): the event says who."""
    campaign = await create(service, "/api/v1/campaigns", campaign_body(channels=["event"]))
    path = f"/api/v1/campaigns/{campaign['id']}/status"
    for step in ("preparing", "running", "completed"):
        response = await service.client.post(path, json={"status": step}, headers=service.marketer)
        assert response.status_code == 200, response.text

    def completed() -> list[dict[str, object]]:
        return [
            e["data"]
            for e in service.bus.of_type(STATUS_CHANGED)
            if e["data"]["campaign_id"] == campaign["id"] and e["data"]["status"] == "completed"
        ]

    await wait_until(completed, timeout=20, what="the completed campaign's event")
    [event] = completed()
    assert (event["owner_id"], event["team"]) == ("u-marketer", "growth")
    assert (event["from_status"], event["name"]) == ("running", campaign["name"])


async def test_stale_if_match_and_other_teams_cannot_change_a_campaign(service: Service) -> None:
    campaign = await create(service, "/api/v1/campaigns", campaign_body())
    path = f"/api/v1/campaigns/{campaign['id']}"
    changed = await service.client.patch(
        path, json={"budget": "2000.00"}, headers={**service.marketer, "If-Match": '"1"'}
    )
    assert changed.status_code == 200
    assert changed.headers["etag"] == '"2"'
    stale = await service.client.patch(
        path, json={"budget": "3000.00"}, headers={**service.marketer, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    other_team = service.auth(Role.MARKETER, subject="u-other", team="brand")
    foreign = await service.client.patch(
        path, json={"budget": "1.00"}, headers={**other_team, "If-Match": '"2"'}
    )
    assert foreign.status_code == 403
    rep = await service.client.get(path, headers=service.auth(Role.SALES_REP))
    assert rep.status_code == 403
    analyst = await service.client.get(path, headers=service.auth(Role.ANALYST))
    assert analyst.status_code == 200
    assert analyst.json()["budget"] == "2000.00"


def _unsubscribe_path(smtp: SmtpCapture, campaign_id: str, email: str) -> str:
    message = next(m for m in smtp.messages_to(email) if m.message["X-CRM-Campaign"] == campaign_id)
    header = str(message.message["List-Unsubscribe"]).strip()
    match = re.fullmatch(r"<http://gateway\.test(/api/v1/mail/unsubscribe/[^>]+)>", header)
    assert match, header
    return match.group(1)


async def test_one_click_unsubscribe_stops_every_later_campaign(
    service: Service, mailbox: SmtpCapture
) -> None:
    leaving, staying = await seed_customers(service, {"vip": 2}, region="east")
    first = await prepare_email_campaign(service, {"regions": ["east"]})
    await launch(service, first["id"])
    await wait_until_sent(service, first["id"])
    path = _unsubscribe_path(mailbox, first["id"], leaving.email or "")

    page = await service.client.get(path)
    assert page.status_code == 200
    assert "<form" in page.text
    still = await service.client.get(
        f"/api/v1/subscriptions/{leaving.customer_id}", headers=service.marketer
    )
    assert still.json()["channels"] == {}, "a GET (link scanner) must not unsubscribe"
    done = await service.client.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200
    forged = await service.client.post(path[:-3] + "abc")
    assert forged.status_code == 404

    second = await prepare_email_campaign(service, {"regions": ["east"]})
    summary = await launch(service, second["id"])
    assert summary["suppressed"] == 1
    await wait_until_sent(service, second["id"])
    got = [m.message["X-CRM-Campaign"] for m in mailbox.messages_to(leaving.email or "")]
    assert got == [first["id"]]
    assert second["id"] in [
        m.message["X-CRM-Campaign"] for m in mailbox.messages_to(staying.email or "")
    ]


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


async def test_the_unsubscribe_pages_speak_the_recipients_language_and_fit_a_phone(
    service: Service, mailbox: SmtpCapture
) -> None:
    english, chinese, unknown = [
        (await seed_customers(service, {"normal": 1}, region="lang-test", language=language))[0]
        for language in ("en", "zh-CN", None)
    ]
    campaign = await prepare_email_campaign(service, {"regions": ["lang-test"]})
    await launch(service, campaign["id"])
    await wait_until_sent(service, campaign["id"])
    paths = {
        customer.customer_id: _unsubscribe_path(mailbox, campaign["id"], customer.email or "")
        for customer in (english, chinese, unknown)
    }

    async def page(path: str, accept: str | None = None) -> httpx.Response:
        headers = {"Accept-Language": accept} if accept else {}
        return await service.client.get(path, headers=headers)

    asked = await page(paths[english.customer_id], accept="zh-CN,zh;q=0.9")
    assert asked.status_code == 200
    assert "Stop receiving these emails?" in asked.text
    assert '<html lang="en">' in asked.text
    assert VIEWPORT in asked.text
    assert "<script" not in asked.text
    csp = asked.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "form-action 'self'" in csp

    asked = await page(paths[chinese.customer_id], accept="en-US,en;q=0.9")
    assert asked.status_code == 200
    assert "不再接收这类邮件" in asked.text
    assert ">退订</button>" in asked.text
    assert '<html lang="zh-CN">' in asked.text
    assert VIEWPORT in asked.text

    by_browser = await page(paths[unknown.customer_id], accept="fr;q=0.9, en;q=0.8")
    assert "Stop receiving these emails?" in by_browser.text
    by_browser = await page(paths[unknown.customer_id], accept="zh-TW")
    assert "不再接收这类邮件" in by_browser.text
    assert "不再接收这类邮件" in (await page(paths[unknown.customer_id])).text

    for customer, expected in ((chinese, "您将不会再收到这类邮件。"), (english, "not receive")):
        done = await service.client.post(
            paths[customer.customer_id],
            content="List-Unsubscribe=One-Click",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept-Language": "en" if customer is chinese else "zh-CN",
            },
        )
        assert done.status_code == 200
        assert expected in done.text
        assert VIEWPORT in done.text
        assert "default-src 'none'" in done.headers["content-security-policy"]
    done = await service.client.post(
        paths[unknown.customer_id],
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"},
    )
    assert done.status_code == 200
    assert "You will not receive these emails again." in done.text


async def test_a_click_link_cannot_be_turned_into_an_open_redirect(service: Service) -> None:
    response = await service.client.get("/api/v1/mail/click/eyJrIjoiYyJ9.forgedsignature")
    assert response.status_code == 404
    assert "location" not in response.headers


async def test_a_click_link_redirects_only_for_a_delivery_this_service_sent(
    service: Service,
) -> None:
    secret = service.settings.tracking_secret.get_secret_value()
    claim = LinkClaim(LinkKind.CLICK, "no-such-delivery", "https://evil.example.net/")
    retired = LinkSigner("development-only-tracking-secret-change-me").sign(claim)

    unknown = await service.client.get(f"/api/v1/mail/click/{LinkSigner(secret).sign(claim)}")
    old_default = await service.client.get(f"/api/v1/mail/click/{retired}")

    assert (unknown.status_code, old_default.status_code) == (404, 404)
    assert "location" not in unknown.headers
    assert "location" not in old_default.headers


async def test_orders_from_recipients_count_as_conversions_with_roi_and_cpa(
    service: Service,
) -> None:
    buyer, last_touch, _ = await seed_customers(service, {"normal": 3}, region="west")
    campaign = await prepare_email_campaign(service, {"regions": ["west"]}, cost="500.00")
    await launch(service, campaign["id"])
    await wait_until_sent(service, campaign["id"])
    now = datetime.now(UTC)
    for customer, order, campaign_id in (
        (buyer, "o-1", campaign["id"]),
        (buyer, "o-1", campaign["id"]),  # redelivered: counted once
        (last_touch, "o-2", None),  # no campaign named: attributed to the last message
    ):
        await service.bus.publish(
            OrderPlaced(
                order_id=order,
                order_number=order.upper(),
                customer_id=customer.customer_id,
                campaign_id=campaign_id,
                amount=Decimal("750.00"),
                placed_at=now,
            )
        )

    async def converted() -> bool:
        return (await metrics(service, campaign["id"]))["converted"] == 2

    await wait_until(converted, timeout=20, what="orders attributed")
    figures = await metrics(service, campaign["id"])
    assert figures["revenue"] == "1500.00"
    assert figures["roi"] == "2.0000"
    assert figures["cpa"] == "250.00"


async def test_a_response_to_a_running_campaign_is_handed_to_sales(service: Service) -> None:
    campaign = await create(service, "/api/v1/campaigns", campaign_body(channels=["event"]))
    path = f"/api/v1/campaigns/{campaign['id']}/responses"
    answer = {
        "name": "Zhang San",
        "email": "zhang@example.org",
        "company": "Acme",
        "interest": "demo of the spring range",
    }
    early = await service.client.post(path, json=answer, headers=service.marketer)
    assert early.status_code == 409
    for step in ("preparing", "running"):
        await service.client.post(
            f"/api/v1/campaigns/{campaign['id']}/status",
            json={"status": step},
            headers=service.marketer,
        )
    recorded = await service.client.post(path, json=answer, headers=service.marketer)
    assert recorded.status_code == 201, recorded.text

    async def handed_over() -> bool:
        return any(
            e["data"]["response_id"] == recorded.json()["id"]
            and e["data"]["interest"] == "demo of the spring range"
            for e in service.bus.of_type("crm.marketing.campaign.responded.v1")
        )

    await wait_until(handed_over, timeout=20, what="campaign.responded event")
