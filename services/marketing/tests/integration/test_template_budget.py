"""A template cannot keep the marketing service busy: rendering runs under a budget and
off the event loop, so other requests keep being answered (issue 18, item 6)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from crm_chassis.testing import wait_until
from marketing.domain import templates as rules

from .conftest import Service
from .factories import template_body

pytestmark = pytest.mark.integration

# Thirty million loop steps: seconds of CPU in the sandbox alone, and it passes it.
NESTED_LOOPS = "{% for a in range(100000) %}{% for b in range(300) %}{% endfor %}{% endfor %}"


async def test_template_with_nested_loops_is_refused_with_422_in_bounded_time(
    service: Service,
) -> None:
    started = time.perf_counter()
    saving = service.client.post(
        "/api/v1/email-templates",
        json=template_body(html=f"<p>{{{{ customer_name }}}}</p>{NESTED_LOOPS}"),
        headers=service.marketer,
    )
    response, health = await asyncio.gather(saving, service.client.get("/healthz"))
    elapsed = time.perf_counter() - started

    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "body.html"
    assert "too costly to render" in problem["detail"]
    assert health.status_code == 200
    assert elapsed < 10, elapsed  # a generous bound: unbounded, it takes minutes
    assert await service.collection("email_templates").count_documents({}) == 0


async def test_healthz_answers_while_a_template_is_being_checked(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    checking, release = threading.Event(), threading.Event()
    validate = rules.validate_template

    def slow_validation(content: rules.TemplateContent) -> None:
        checking.set()
        release.wait(timeout=10)  # bounded, so a blocked loop fails the test, not hangs it
        validate(content)

    monkeypatch.setattr(rules, "validate_template", slow_validation)
    saving = asyncio.create_task(
        service.client.post(
            "/api/v1/email-templates", json=template_body(), headers=service.marketer
        )
    )

    async def check_started() -> bool:
        return checking.is_set()

    await wait_until(check_started, timeout=10, what="the template check")
    health = await service.client.get("/healthz")
    answered_meanwhile = not saving.done()
    release.set()
    response = await saving

    assert health.status_code == 200
    assert answered_meanwhile
    assert response.status_code == 201, response.text
