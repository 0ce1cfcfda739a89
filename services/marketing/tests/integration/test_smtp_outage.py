"""Must-show: the SMTP server goes down mid-campaign; sending resumes when it returns,
nobody gets the message twice and nobody is skipped (M-4)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crm_chassis.testing import wait_until
from crm_localinfra.ports import free_port
from crm_localinfra.smtp import SmtpCapture

from .conftest import ServiceFactory
from .journeys import launch, metrics, prepare_email_campaign, seed_customers, wait_until_sent

pytestmark = pytest.mark.integration


async def test_sending_resumes_after_an_smtp_outage_without_duplicates_or_gaps(
    service_factory: ServiceFactory, tmp_path: Path
) -> None:
    smtp = SmtpCapture(free_port(), tmp_path / "mail")
    smtp.start()
    try:
        async with service_factory(
            smtp={"host": smtp.host, "port": smtp.port}, send_batch_size=10, smtp_connections=2
        ) as service:
            customers = await seed_customers(service, {"vip": 30, "normal": 90})
            campaign = await prepare_email_campaign(service, {"regions": ["north"]})
            await launch(service, campaign["id"])

            async def some_sent() -> bool:
                return len(smtp.messages()) >= 20

            await wait_until(some_sent, timeout=60, what="first messages sent")
            smtp.stop()
            deliveries = service.collection("deliveries")

            async def outage_noticed() -> bool:
                return await deliveries.count_documents({"last_error": {"$ne": None}}) > 0

            await wait_until(outage_noticed, timeout=30, what="the sender noticing the outage")
            during_outage = len(smtp.messages())
            assert (await metrics(service, campaign["id"]))["queued"] > 0
            smtp.start()
            await wait_until_sent(service, campaign["id"], timeout=90)

            figures = await metrics(service, campaign["id"])
            assert figures["sent"] == 120
            assert figures["failed"] == 0
            assert during_outage < 120
    finally:
        smtp.stop()
    recipients = Counter(r for m in smtp.messages() for r in m.rcpt_tos)
    assert set(recipients) == {c.email for c in customers}, "nobody is skipped"
    assert set(recipients.values()) == {1}, "nobody gets the message twice"
