"""Bugs the fuzzer found in other teams' services, pinned until fixed (strict xfail: a fix
makes these fail, so that they are turned into ordinary tests)."""

from __future__ import annotations

import pytest
import requests

from crm_contracts.access import Role
from crm_e2e.harness import Platform

pytestmark = pytest.mark.e2e


@pytest.mark.xfail(
    strict=True,
    reason="sales: PUT /api/v1/web-forms/{form_id} validates form_id against the domain "
    "pattern ^[a-z0-9][a-z0-9-]{1,62}$ only inside the handler (WebForm(...)), so a "
    "one-character or upper-case id raises a pydantic ValidationError: 500, not 422",
)
def test_web_form_with_an_invalid_id_is_refused_with_422(fuzz_platform: Platform) -> None:
    token = fuzz_platform.keys.token(Role.ADMIN)
    response = requests.put(
        f"{fuzz_platform.gateway_url}/api/v1/web-forms/0",
        json={"name": "0"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 422


@pytest.mark.xfail(
    strict=True,
    reason="support: POST /api/v1/ticket-agents accepts a skill holding a lone UTF-16 "
    "surrogate (valid JSON, e.g. \\udc00; skills items have no validator, unlike id and "
    "name) and fails with 500 when the document is encoded to BSON (not valid UTF-8); such "
    "input should be refused with 422 before any write",
)
def test_agent_with_a_lone_surrogate_in_a_skill_is_refused_with_422(
    fuzz_platform: Platform,
) -> None:
    token = fuzz_platform.keys.token(Role.ADMIN)
    response = requests.post(
        f"{fuzz_platform.gateway_url}/api/v1/ticket-agents",
        data=b'{"id": "agent-surrogate", "name": "n", "team": "north", "skills": ["\\udc00"]}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 422
