"""Secrets never reach the logs: passwords, bearer tokens, client secrets and encrypted
personal data are absent from every log record the platform writes while handling them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from crm_e2e.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Platform
from security.factories import create_customer

pytestmark = pytest.mark.e2e


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(
            f"[{record.name}] {record.getMessage()} {record.__dict__!r} {record.exc_text or ''}"
        )

    def holding(self, secret: str) -> list[str]:
        return [text[:200] for text in self.texts if secret in text]


@pytest.fixture
def every_log_record() -> Iterator[Everything]:
    handler = Everything()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(levels[logger])


async def test_passwords_tokens_and_national_ids_never_appear_in_logs(
    secured_platform: Platform, every_log_record: Everything
) -> None:
    wrong_password = "Wr0ng-but-secret-pa55word"
    national_id = "110101199003074514"
    async with secured_platform.client() as anonymous:
        ok = await anonymous.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        )
        refused = await anonymous.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": ADMIN_EMAIL, "password": wrong_password},
        )
    assert ok.status_code == 200
    assert refused.status_code in (400, 401)
    token = ok.json()["access_token"]
    async with secured_platform.client(token) as admin:
        await create_customer(admin, national_id=national_id, phone="13912340000")
        await admin.get("/api/v1/nowhere")

    assert every_log_record.texts, "no log records captured: the probe is blind"
    for secret in (ADMIN_PASSWORD, wrong_password, token, token.split(".")[2], national_id):
        assert not every_log_record.holding(secret)


async def test_a_token_sent_in_the_query_string_is_not_logged(
    secured_platform: Platform, every_log_record: Everything
) -> None:
    """Some clients put the bearer token in ``?access_token=``; the URL must be logged
    without it."""
    token = secured_platform.admin_token
    async with secured_platform.client(token) as admin:
        await admin.get("/api/v1/customers", params={"access_token": token})
    assert not every_log_record.holding(token.split(".")[2])
