from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
import redis.asyncio as aioredis

from crm_localinfra.smtp import SmtpCapture

pytestmark = pytest.mark.integration


async def test_redis_url_points_at_a_working_redis(redis_url: str) -> None:
    client = aioredis.from_url(redis_url)
    try:
        await client.set("crm:test:key", "v", ex=10)
        assert await client.get("crm:test:key") == b"v"
    finally:
        await client.aclose()


def test_smtp_server_captures_sent_mail(smtp_server: SmtpCapture) -> None:
    message = EmailMessage()
    message["From"] = "crm@example.test"
    message["To"] = "ada@example.test"
    message["Subject"] = "Your ticket T-1 was received"
    message.set_content("We will answer within 4 hours.")

    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.send_message(message, to_addrs=["ada@example.test", "bcc@example.test"])

    captured = smtp_server.wait_for(lambda m: m.subject == "Your ticket T-1 was received")
    assert captured.mail_from == "crm@example.test"
    assert captured.rcpt_tos == ("ada@example.test", "bcc@example.test")
    assert "within 4 hours" in captured.text()
    assert [m.path for m in smtp_server.messages_to("BCC@example.test")] == [captured.path]
