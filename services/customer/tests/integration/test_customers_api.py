"""Profiles over HTTP: create, read, list, change with If-Match, delete (C-1)."""

from __future__ import annotations

import asyncio
import re

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from customer.domain.consumption import SVIP_FROM, VIP_FROM

from .conftest import Service
from .factories import customer_body

pytestmark = pytest.mark.integration


async def test_create_returns_location_etag_and_generated_member_id(service: Service) -> None:
    response = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert re.fullmatch(r"VIP\d{10}", body["member_id"])
    assert response.headers["location"] == f"/api/v1/customers/{body['id']}"
    assert response.headers["etag"] == '"1"'
    fetched = await service.client.get(response.headers["location"], headers=service.admin)
    assert fetched.json()["email"] == body["email"]


async def test_created_customer_is_published_through_the_outbox(service: Service) -> None:
    response = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    customer_id = response.json()["id"]

    async def published() -> bool:
        return any(
            e["data"]["customer_id"] == customer_id
            for e in service.bus.of_type("crm.customer.customer.created.v1")
        )

    await wait_until(published, timeout=15, what="customer.created published")


async def test_duplicate_phone_or_email_is_a_409_problem(service: Service) -> None:
    first = customer_body()
    await service.client.post("/api/v1/customers", json=first, headers=service.admin)
    same_phone = customer_body(phone="+86 " + first["phone"])
    response = await service.client.post(
        "/api/v1/customers", json=same_phone, headers=service.admin
    )
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/duplicate-customer")
    assert response.json()["field"] == "phone"
    same_email = customer_body(email=first["email"].upper())
    response = await service.client.post(
        "/api/v1/customers", json=same_email, headers=service.admin
    )
    assert response.json()["field"] == "email"


async def test_an_email_taken_by_a_concurrent_create_is_named_as_the_email(
    service: Service,
) -> None:
    """Two creates with one e-mail at once: both may pass the check before the write, so
    the unique index refuses the second, and its answer names the e-mail, although the
    address (phone.lover@...) holds the word phone."""
    for attempt in range(5):
        email = f"phone.lover{attempt}@x.com"
        responses = await asyncio.gather(
            *(
                service.client.post(
                    "/api/v1/customers", json=customer_body(email=email), headers=service.admin
                )
                for _ in range(2)
            )
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        [refused] = [r for r in responses if r.status_code == 409]
        assert refused.json()["field"] == "email", refused.text


async def test_invalid_and_unknown_fields_are_422_with_field_paths(service: Service) -> None:
    body = customer_body(phone="12345", email="not-an-email", shoe_size=44)
    response = await service.client.post("/api/v1/customers", json=body, headers=service.admin)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"body.phone", "body.email", "body.shoe_size"} <= fields
    listed = await service.client.get("/api/v1/customers", headers=service.admin)
    assert listed.json()["total"] == 0


async def test_list_filters_searches_sorts_and_pages_with_a_total(service: Service) -> None:
    for name, region in [("Zhang Wei", "Beijing"), ("Li Na", "Shanghai"), ("Wang Fang", "Beijing")]:
        await service.client.post(
            "/api/v1/customers", json=customer_body(name=name, region=region), headers=service.admin
        )
    response = await service.client.get(
        "/api/v1/customers",
        params={"region": "Beijing", "sort": "name", "limit": 1},
        headers=service.admin,
    )
    page = response.json()
    assert page["total"] == 2
    assert [item["name"] for item in page["items"]] == ["Wang Fang"]
    found = await service.client.get(
        "/api/v1/customers", params={"q": "li n"}, headers=service.admin
    )
    assert [item["name"] for item in found.json()["items"]] == ["Li Na"]
    bad_sort = await service.client.get(
        "/api/v1/customers", params={"sort": "password"}, headers=service.admin
    )
    assert bad_sort.status_code == 422


async def test_list_filters_by_team(service: Service) -> None:
    for team in ("north", "south", "north"):
        await service.client.post(
            "/api/v1/customers", json=customer_body(team=team), headers=service.admin
        )
    response = await service.client.get(
        "/api/v1/customers", params={"team": "north"}, headers=service.admin
    )
    assert response.json()["total"] == 2
    assert {item["team"] for item in response.json()["items"]} == {"north"}


async def test_an_unknown_query_parameter_is_refused_not_ignored(service: Service) -> None:
    for _ in range(2):
        await service.client.post("/api/v1/customers", json=customer_body(), headers=service.admin)

    # An operator smuggled into a parameter name once returned every customer.
    response = await service.client.get(
        "/api/v1/customers", params={"tier[$ne]": "normal"}, headers=service.admin
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == ("query.tier[$ne]", "extra_forbidden")
    listed = await service.client.get(
        "/api/v1/customers", params={"tier": "normal", "sort": "name"}, headers=service.admin
    )
    assert listed.status_code == 200


async def test_patch_needs_the_current_etag(service: Service) -> None:
    created = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    url = created.headers["location"]
    missing = await service.client.patch(url, json={"title": "CTO"}, headers=service.admin)
    assert missing.status_code == 428
    changed = await service.client.patch(
        url, json={"title": "CTO"}, headers={**service.admin, "If-Match": '"1"'}
    )
    assert changed.status_code == 200
    assert changed.headers["etag"] == '"2"'
    stale = await service.client.patch(
        url, json={"title": "CEO"}, headers={**service.admin, "If-Match": '"1"'}
    )
    assert stale.status_code == 412


async def test_sales_rep_sees_only_own_customers(service: Service) -> None:
    rep = service.auth(Role.SALES_REP, subject="rep-1", team="north")
    other = service.auth(Role.SALES_REP, subject="rep-2", team="north")
    manager = service.auth(Role.SALES_MANAGER, subject="boss", team="north")
    mine = await service.client.post("/api/v1/customers", json=customer_body(), headers=rep)
    assert mine.json()["owner_id"] == "rep-1"
    hidden = await service.client.get(mine.headers["location"], headers=other)
    assert hidden.status_code == 404
    listed = await service.client.get("/api/v1/customers", headers=other)
    assert listed.json()["total"] == 0
    team_view = await service.client.get("/api/v1/customers", headers=manager)
    assert team_view.json()["total"] == 1


async def test_delete_erases_and_the_customer_is_gone(service: Service) -> None:
    created = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    url = created.headers["location"]
    assert (await service.client.delete(url, headers=service.admin)).status_code == 204
    assert (await service.client.get(url, headers=service.admin)).status_code == 404
    rep = service.auth(Role.SALES_REP)
    forbidden = await service.client.delete(url, headers=rep)
    assert forbidden.status_code == 403


async def test_the_api_document_states_the_tier_thresholds(service: Service) -> None:
    """A client reading the published document learns when a customer becomes vip or svip."""
    document = (await service.client.get("/openapi.json")).json()
    rule = f"normal below {VIP_FROM}, vip from {VIP_FROM}, svip from {SVIP_FROM}"  # C-3
    schemas = document["components"]["schemas"]
    assert rule in schemas["CustomerOut"]["properties"]["tier"]["description"]
    assert rule in schemas["ConsumptionOut"]["properties"]["total_consumption"]["description"]
    listing = document["paths"]["/api/v1/customers"]["get"]["parameters"]
    [tier] = [parameter for parameter in listing if parameter["name"] == "tier"]
    assert rule in tier["description"]


async def test_a_create_answers_the_times_a_later_read_gives(service: Service) -> None:
    """The store keeps times to the millisecond; the create's answer must not show more."""
    created = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    read = await service.client.get(created.headers["location"], headers=service.admin)
    for field in ("created_at", "updated_at"):
        assert created.json()[field] == read.json()[field]


async def test_the_mail_language_is_set_changed_and_cleared_and_each_change_announced(
    service: Service,
) -> None:
    """The language mail to the customer is written in (issue #17): stored, returned and
    carried on customer.created and customer.updated for the notifications service."""
    created = await service.client.post(
        "/api/v1/customers", json=customer_body(language="en"), headers=service.admin
    )
    assert created.status_code == 201, created.text
    assert created.json()["language"] == "en"
    url = created.headers["location"]
    customer_id = created.json()["id"]
    [announced] = [
        event["data"]
        for event in await service.bus.wait_for("crm.customer.customer.created.v1")
        if event["data"]["customer_id"] == customer_id
    ]
    assert announced["language"] == "en"

    changed = await service.client.patch(
        url, json={"language": "zh-CN"}, headers={**service.admin, "If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["language"] == "zh-CN"
    assert (await service.client.get(url, headers=service.admin)).json()["language"] == "zh-CN"
    cleared = await service.client.patch(
        url, json={"language": None}, headers={**service.admin, "If-Match": '"2"'}
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["language"] is None

    updates = await service.bus.wait_for("crm.customer.customer.updated.v1", count=2)
    assert [(e["data"]["version"], e["data"]["language"]) for e in updates] == [
        (2, "zh-CN"),
        (3, None),
    ]
    plain = await service.client.post(
        "/api/v1/customers", json=customer_body(), headers=service.admin
    )
    assert plain.json()["language"] is None


async def test_a_mail_language_other_than_zh_cn_or_en_is_a_422_naming_it(
    service: Service,
) -> None:
    refused = await service.client.post(
        "/api/v1/customers", json=customer_body(language="fr"), headers=service.admin
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.language"]
    assert (await service.client.get("/api/v1/customers", headers=service.admin)).json()[
        "total"
    ] == 0

    created = await service.client.post(
        "/api/v1/customers", json=customer_body(language="en"), headers=service.admin
    )
    url = created.headers["location"]
    for value in ("EN", "zh-cn", "", 1):
        patched = await service.client.patch(
            url, json={"language": value}, headers={**service.admin, "If-Match": '"1"'}
        )
        assert patched.status_code == 422, (value, patched.text)
        assert patched.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in patched.json()["errors"]] == ["body.language"]
    stored = (await service.client.get(url, headers=service.admin)).json()
    assert (stored["language"], stored["version"]) == ("en", 1)
