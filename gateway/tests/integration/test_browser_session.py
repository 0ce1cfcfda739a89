"""The console's sign-in (refresh token in an HttpOnly cookie) and its files at ``/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from crm_chassis.testing import auth_header
from gateway.settings import Settings

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD, running_gateway

pytestmark = pytest.mark.integration

CONSOLE = {"X-CRM-Console": "1"}


def _session_cookie(response: httpx.Response) -> tuple[str, str]:
    """The cookie's value and its attributes, as the browser would receive them."""
    header = response.headers["set-cookie"]
    value = header.split(";", 1)[0].removeprefix("crm_session=")
    return value, header.lower()


async def _sign_in(gateway: httpx.AsyncClient) -> httpx.Response:
    response = await gateway.post(
        "/api/v1/auth/session",
        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        headers=CONSOLE,
    )
    assert response.status_code == 200, response.text
    return response


async def _refresh(gateway: httpx.AsyncClient, cookie: str) -> httpx.Response:
    return await gateway.post(
        "/api/v1/auth/session/refresh",
        headers={**CONSOLE, "Cookie": f"crm_session={cookie}"},
    )


async def test_sign_in_gives_the_page_an_access_token_and_the_refresh_token_as_a_strict_cookie(
    gateway: httpx.AsyncClient,
) -> None:
    response = await _sign_in(gateway)

    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    _, attributes = _session_cookie(response)
    assert "httponly" in attributes
    assert "secure" in attributes
    assert "samesite=strict" in attributes
    assert "path=/api/v1/auth/session" in attributes
    assert response.headers["cache-control"] == "no-store"
    me = await gateway.get("/api/v1/auth/me", headers=auth_header(body["access_token"]))
    assert me.json()["email"] == ADMIN_EMAIL


async def test_refresh_rotates_the_cookie_and_a_replayed_one_ends_the_family(
    gateway: httpx.AsyncClient,
) -> None:
    first, _ = _session_cookie(await _sign_in(gateway))

    rotated = await _refresh(gateway, first)
    assert rotated.status_code == 200
    second, _ = _session_cookie(rotated)
    assert second != first

    replayed = await _refresh(gateway, first)
    assert replayed.status_code == 400
    assert (await _refresh(gateway, second)).status_code == 400


async def test_session_calls_without_the_console_header_are_refused(
    gateway: httpx.AsyncClient,
) -> None:
    cookie, _ = _session_cookie(await _sign_in(gateway))

    forged = await gateway.post(
        "/api/v1/auth/session/refresh", headers={"Cookie": f"crm_session={cookie}"}
    )
    login = await gateway.post(
        "/api/v1/auth/session", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )

    assert forged.status_code == 400
    assert login.status_code == 400


async def test_sign_out_revokes_the_access_token_and_the_cookie(
    gateway: httpx.AsyncClient,
) -> None:
    response = await _sign_in(gateway)
    cookie, _ = _session_cookie(response)
    access = response.json()["access_token"]

    ended = await gateway.delete(
        "/api/v1/auth/session",
        headers={**CONSOLE, **auth_header(access), "Cookie": f"crm_session={cookie}"},
    )

    assert ended.status_code == 204
    assert "max-age=0" in ended.headers["set-cookie"].lower()
    assert (await gateway.get("/api/v1/auth/me", headers=auth_header(access))).status_code == 401
    assert (await _refresh(gateway, cookie)).status_code == 400


async def test_wrong_password_at_browser_sign_in_is_a_400_without_a_cookie(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post(
        "/api/v1/auth/session",
        json={"email": ADMIN_EMAIL, "password": "not-the-password"},
        headers=CONSOLE,
    )
    assert response.status_code == 400
    assert "set-cookie" not in response.headers


@pytest.fixture
def console_build(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>CRM</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('crm')")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


async def test_console_files_deep_links_and_the_api_share_one_origin(
    gateway_settings: Callable[..., Settings], console_build: Path
) -> None:
    async with running_gateway(gateway_settings(console_dir=console_build)) as gateway:
        index = await gateway.get("/")
        deep_link = await gateway.get("/customers/c-42")
        asset = await gateway.get("/assets/index-abc123.js")
        missing_asset = await gateway.get("/assets/gone.js")
        icon = await gateway.get("/favicon.svg")
        traversal = await gateway.get("/..%2f..%2fetc/passwd")
        dead_letters = await gateway.get("/admin/dead-letters")
        api_miss = await gateway.get("/api/v1/no-such-thing")
        docs = await gateway.get("/docs")

    for page in (index, deep_link, traversal):
        assert page.status_code == 200
        assert page.text == "<!doctype html><title>CRM</title>"
        assert page.headers["cache-control"] == "no-cache"
        assert "script-src 'self';" in page.headers["content-security-policy"]
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing_asset.status_code == 404
    assert icon.status_code == 200
    assert dead_letters.status_code == 401
    assert api_miss.headers["content-type"].startswith("application/problem+json")
    assert "swagger" in docs.text.lower()


async def test_console_scripts_go_gzipped_to_a_browser_that_accepts_it(
    gateway_settings: Callable[..., Settings], console_build: Path
) -> None:
    script = "console.log('crm');\n" * 500
    (console_build / "assets" / "index-abc123.js").write_text(script)
    async with running_gateway(gateway_settings(console_dir=console_build)) as gateway:
        gzipped = await gateway.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
        again = await gateway.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
        plain = await gateway.get(
            "/assets/index-abc123.js", headers={"Accept-Encoding": "identity"}
        )

    assert gzipped.headers["content-encoding"] == "gzip"
    assert int(gzipped.headers["content-length"]) < len(script) / 10
    assert gzipped.text == again.text == script  # httpx decodes it
    assert "javascript" in gzipped.headers["content-type"]
    assert gzipped.headers["vary"] == "Accept-Encoding"
    assert gzipped.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-encoding" not in plain.headers
    assert plain.text == script
