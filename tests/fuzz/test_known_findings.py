"""Inputs the fuzzer once turned into server errors, kept as ordinary regression tests."""

from __future__ import annotations

import pytest
import requests

from crm_contracts.access import Role
from crm_e2e.harness import Platform

pytestmark = pytest.mark.e2e


def test_web_form_with_an_invalid_id_is_refused_with_422(fuzz_platform: Platform) -> None:
    token = fuzz_platform.keys.token(Role.ADMIN)
    response = requests.put(
        f"{fuzz_platform.gateway_url}/api/v1/web-forms/0",
        json={"name": "0"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 422


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


def test_a_report_period_in_year_0_is_refused_with_422(fuzz_platform: Platform) -> None:
    token = fuzz_platform.keys.token(Role.ANALYST)
    response = requests.get(
        f"{fuzz_platform.gateway_url}/api/v1/reports/revenue-trend",
        params={"granularity": "week", "period_to": "0000-01"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("period_to")


def test_an_sla_target_beyond_a_year_is_refused_with_422(fuzz_platform: Platform) -> None:
    token = fuzz_platform.keys.token(Role.ADMIN)
    response = requests.post(
        f"{fuzz_platform.gateway_url}/api/v1/sla-policies",
        json={
            "name": "Forever",
            "priority": "high",
            "first_response_seconds": 447876064117403877376,
            "resolution_seconds": 10**12,
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert any(f.endswith("first_response_seconds") for f in fields)
    assert any(f.endswith("resolution_seconds") for f in fields)
