"""Traces of a forwarded request: named by the operation template, no query values in
the gateway's server span, its own client span to the service, or the service's span."""

from __future__ import annotations

import httpx
import pytest
from opentelemetry.trace import SpanKind

from crm_chassis.testing import SigningKeys, auth_header, recorded_spans
from crm_contracts.access import Role

pytestmark = pytest.mark.integration

TOKEN = "survey-token-5f2a9c"
PHONE = "13912345678"


async def test_a_forwarded_request_is_traced_by_its_template_without_query_values(
    gateway: httpx.AsyncClient, signing_keys: SigningKeys
) -> None:
    token = signing_keys.token(Role.ADMIN)
    with recorded_spans() as spans:
        response = await gateway.get(
            "/api/v1/customer-lookups",
            params={"phone": PHONE, "token": TOKEN},
            headers=auth_header(token),
        )

    assert response.status_code == 200
    assert response.json() == {"phone": PHONE, "token": TOKEN}  # forwarded intact
    finished = [s for s in spans.get_finished_spans() if "/customer-lookups" in str(s.attributes)]
    servers = [span for span in finished if span.kind is SpanKind.SERVER]
    clients = [span for span in finished if span.kind is SpanKind.CLIENT]
    assert (len(servers), len(clients)) == (2, 1)  # the gateway, the upstream; the call between
    assert {span.name for span in servers} == {"GET /api/v1/customer-lookups"}
    for span in finished:
        recorded = " ".join(str(value) for value in (span.attributes or {}).values())
        assert TOKEN not in recorded, span.name
        assert PHONE not in recorded, span.name
        assert "phone=REDACTED&token=REDACTED" in recorded, span.name
