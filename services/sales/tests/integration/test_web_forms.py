"""The public web form: no token needed, bots and floods are turned away, input is checked."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.integration

PERSON = {"name": "Wang Fang", "email": "wang@example.cn", "region": "Shanghai"}


async def open_form(client: httpx.AsyncClient, admin: dict[str, str], **extra: object) -> str:
    response = await client.put(
        "/api/v1/web-forms/contact-us", json={"name": "Contact us", **extra}, headers=admin
    )
    assert response.status_code == 200, response.text
    return "/api/v1/web-forms/contact-us/submissions"


async def test_honeypot_submission_is_answered_like_any_other_but_stores_nothing(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    url = await open_form(client, admin)
    bot = await client.post(url, json={**PERSON, "website": "http://spam.example"})
    assert bot.status_code == 202
    assert bot.json()["reference"] is None
    assert (await client.get("/api/v1/leads", headers=admin)).json()["total"] == 0


async def test_form_over_its_rate_limit_answers_429(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    url = await open_form(client, admin, submissions_per_minute=2)
    codes = [(await client.post(url, json=PERSON)).status_code for _ in range(3)]
    assert codes == [202, 202, 429]


async def test_invalid_submission_names_the_bad_field_and_stores_nothing(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    url = await open_form(client, admin)
    bad = await client.post(url, json={**PERSON, "phone": "12345"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in bad.json()["errors"]] == ["body.phone"]
    assert (await client.get("/api/v1/leads", headers=admin)).json()["total"] == 0


async def test_unknown_form_is_not_found_and_admin_routes_need_a_token(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.post("/api/v1/web-forms/nope/submissions", json=PERSON)).status_code == 404
    assert (await client.put("/api/v1/web-forms/x", json={"name": "x"})).status_code == 401
