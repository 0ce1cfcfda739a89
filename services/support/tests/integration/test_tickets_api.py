"""Tickets through the API: intake, lifecycle, validation, access."""

from __future__ import annotations

import pytest

from crm_chassis.testing import wait_until

pytestmark = pytest.mark.integration


async def test_created_ticket_is_new_with_default_sla_and_an_opened_event(
    support, events, bodies
) -> None:
    response = await support.client.post(
        "/api/v1/tickets", json=bodies.ticket(), headers=support.auth()
    )
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["status"] == "new"
    assert ticket["type"] == "technical"
    assert ticket["reference"].startswith("TKT-")
    assert response.headers["ETag"] == '"1"'
    sla = ticket["sla"]["first_response"]
    assert sla["target_seconds"] == 24 * 3600
    assert sla["running"] is True

    async def opened() -> bool:
        return bool(events.of_type("crm.support.ticket.opened.v1"))

    await wait_until(opened, timeout=10, what="ticket.opened event")
    assert events.of_type("crm.support.ticket.opened.v1")[0]["data"]["ticket_id"] == ticket["id"]
