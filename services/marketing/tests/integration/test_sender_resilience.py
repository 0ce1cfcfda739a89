"""The sender under refusals and with two replicas (M-4): bounces are final and
suppress the address, temporary refusals are retried, replicas never double-send."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crm_chassis.testing import wait_until
from crm_localinfra.ports import free_port
from crm_localinfra.smtp import SmtpCapture
from marketing.components import components

from .conftest import ServiceFactory
from .journeys import launch, metrics, prepare_email_campaign, seed_customers, wait_until_sent
from .picky_smtp import picky_smtp

pytestmark = pytest.mark.integration


async def test_a_hard_bounce_is_final_and_a_temporary_refusal_is_retried(
    service_factory: ServiceFactory,
) -> None:
    with picky_smtp() as (port, server):
        async with service_factory(smtp={"port": port}, send_retry_base_seconds=0.1) as service:
            bouncing, later, fine = await seed_customers(service, {"normal": 1, "vip": 2})
            for customer, prefix in ((bouncing, "bounce"), (later, "later")):
                await service.collection("customer_projection").update_one(
                    {"_id": customer.customer_id},
                    {"$set": {"email": f"{prefix}-{customer.email}"}},
                )
            campaign = await prepare_email_campaign(service, {"regions": ["north"]})
            await launch(service, campaign["id"])
            await wait_until_sent(service, campaign["id"])

            figures = await metrics(service, campaign["id"])
            assert (figures["sent"], figures["bounced"], figures["failed"]) == (2, 1, 0)
            assert sorted(server.accepted) == sorted([f"later-{later.email}", fine.email])
            retried = await service.collection("deliveries").find_one(
                {"customer_id": later.customer_id}
            )
            assert retried is not None
            assert retried["attempts"] == 2
            suppression = await service.client.get(
                f"/api/v1/suppressions/bounce-{bouncing.email}", headers=service.marketer
            )
            assert suppression.json()["reason"] == "hard_bounce"

            async def bounce_published() -> bool:
                return len(service.bus.of_type("crm.marketing.message.bounced.v1")) == 1

            await wait_until(bounce_published, timeout=20, what="message.bounced event")


async def test_two_replicas_share_the_queue_without_sending_anything_twice(
    service_factory: ServiceFactory, tmp_path: Path
) -> None:
    smtp = SmtpCapture(free_port(), tmp_path / "mail")
    smtp.start()
    try:
        settings = {"smtp": {"port": smtp.port}, "send_batch_size": 10, "smtp_connections": 2}
        async with service_factory(**settings) as first, service_factory(**settings) as second:
            customers = await seed_customers(first, {"vip": 20, "normal": 80})
            campaign = await prepare_email_campaign(first, {"regions": ["north"]})
            await launch(first, campaign["id"])
            components(second.app.state.runtime).wake_sender()
            await wait_until_sent(first, campaign["id"])
    finally:
        smtp.stop()
    recipients = Counter(r for m in smtp.messages() for r in m.rcpt_tos)
    assert set(recipients) == {c.email for c in customers}
    assert set(recipients.values()) == {1}
