"""The OpenAPI document the gateway routes and authorises by."""

from __future__ import annotations

import pytest

from crm_chassis.testing import SigningKeys
from support.app import create_app
from support.settings import Settings

pytestmark = pytest.mark.integration

PUBLIC = {
    ("POST", "/api/v1/support-forms/tickets"),
    ("POST", "/api/v1/inbound-email"),
    ("GET", "/api/v1/surveys/{survey_id}/answer"),
    ("POST", "/api/v1/surveys/{survey_id}/answer"),
}
PREFIXES = (
    "/api/v1/tickets",
    "/api/v1/ticket-",
    "/api/v1/sla-policies",
    "/api/v1/business-calendars",
    "/api/v1/knowledge-articles",
    "/api/v1/surveys",
    "/api/v1/support-kpis",
    "/api/v1/support-forms/",
    "/api/v1/inbound-email",
)


def test_every_route_is_ours_and_only_the_intended_ones_are_public(
    signing_keys: SigningKeys,
) -> None:
    spec = create_app(
        Settings(profile="development", jwt_public_key=signing_keys.public_pem)
    ).openapi()
    public = set()
    for path, operations in spec["paths"].items():
        assert path.startswith(PREFIXES), path
        for method, operation in operations.items():
            if not operation.get("security"):
                public.add((method.upper(), path))
    assert public == PUBLIC
