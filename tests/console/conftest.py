"""The platform with the console built into it, Chromium, and people of every role.

Each test gets a fresh browser context (no cookies) and signs in through the console's
own sign-in form, as a person does.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from crm_e2e.harness import Platform, running_platform
from sales.components import components as sales_components
from sales.operations.opportunities import alert_stalled

from .browser import CHROMIUM_FLAGS, CONSOLE_DIST, DESK, PageProblems, chromium_path
from .clock import TIMEZONE_ID

pytestmark = pytest.mark.e2e

PASSWORD = "console-test-password"


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    roles: tuple[str, ...]
    team: str | None
    id: str


@pytest.fixture(scope="session")
async def console_platform(
    mongo_url: str, amqp_url: str, redis_url: str, smtp_server: Any
) -> AsyncIterator[Platform]:
    if not (CONSOLE_DIST / "index.html").is_file():
        pytest.fail("console/dist is missing: `make install` builds the console")
    async with running_platform(
        mongo_url=mongo_url,
        amqp_url=amqp_url,
        redis_url=redis_url,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        gateway_extra={"console_dir": CONSOLE_DIST},
    ) as platform:
        yield platform


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        await chromium.close()


NewPerson = Callable[..., Awaitable[Person]]


@pytest.fixture(scope="session")
async def new_person(console_platform: Platform) -> NewPerson:
    """A user of the given roles (and team) created by the administrator."""

    async def create(*roles: str, team: str | None = "north", name: str = "") -> Person:
        email = f"{roles[0].replace('_', '.')}.{uuid.uuid4().hex[:6]}@console.test"
        body = {
            "email": email,
            "password": PASSWORD,
            "display_name": name or email.split("@")[0],
            "roles": list(roles),
            "team": team,
        }
        async with console_platform.admin() as admin:
            response = await admin.post("/api/v1/users", json=body)
        assert response.status_code == 201, response.text
        return Person(email, PASSWORD, roles, team, response.json()["id"])

    return create


@pytest.fixture
async def context(browser: Browser, console_platform: Platform) -> AsyncIterator[BrowserContext]:
    # As a person who asked for less motion: Ant Design then changes state at once, so
    # no check meets a half-finished animation (a button's spinner caught leaving after
    # a quick answer kept its "loading" label in the button's name). In the product's
    # default zone, not the host's, so "today" on the page is the tests' local_today().
    fresh = await browser.new_context(
        base_url=console_platform.gateway_url,
        viewport=DESK,
        locale="zh-CN",
        timezone_id=TIMEZONE_ID,
        reduced_motion="reduce",
    )
    # Actions and checks wait alike, long enough for a shared CI host at its slowest (a
    # sign-in page took over 5 s to show at a load of 12); a check of speed says its own.
    fresh.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    yield fresh
    await fresh.close()


@pytest.fixture
async def page(context: BrowserContext) -> AsyncIterator[Page]:
    """A tab whose untranslated keys and script errors fail the test."""
    opened = await context.new_page()
    problems = PageProblems()
    problems.watch(opened)
    yield opened
    assert not problems.missing_keys, problems.missing_keys
    assert not problems.errors, problems.errors


SignIn = Callable[[Page, Person], Awaitable[None]]


@pytest.fixture
def sign_in() -> SignIn:
    """Signs in through the form and waits for the home screen."""

    async def through_the_form(page: Page, person: Person) -> None:
        await page.goto("/")
        await page.get_by_label("邮箱").fill(person.email)
        await page.get_by_label("密码").fill(person.password)
        await page.get_by_role("button", name="登录").click()
        await page.get_by_role("main").wait_for()
        await page.locator("#main").wait_for()

    return through_the_form


Stall = Callable[[str, int], Awaitable[None]]


@pytest.fixture(scope="session")
def stall(console_platform: Platform) -> Stall:
    """Makes an opportunity stalled for ``days`` whole days (and a bit), as the sales
    service finds a deal that long after it sat its pipeline's stall days in its stage:
    its last stage change is moved back in the sales database (time cannot be waited
    for), then the stall job's own pass marks it stalled and publishes the alert."""

    async def make(opportunity_id: str, days: int) -> None:
        parts = sales_components(console_platform.apps["sales"].state.runtime)
        opportunity = await parts.opportunities.get(opportunity_id)
        assert opportunity is not None, opportunity_id
        pipeline = await parts.pipelines.get(opportunity.pipeline_id)
        stall_days = (pipeline.stall_days if pipeline else None) or parts.settings.stall_days
        now = datetime.now(UTC)
        quiet_since = (now - timedelta(days=stall_days + days, hours=1)).replace(
            microsecond=0  # stored to the millisecond: read back as written
        )
        await parts.opportunities.collection.update_one(
            {"_id": opportunity_id}, {"$set": {"stage_changed_at": quiet_since}}
        )
        await alert_stalled(parts, parts.settings.stall_days, now)
        marked = await parts.opportunities.get(opportunity_id)
        assert marked is not None
        assert marked.stalled_since == quiet_since + timedelta(days=stall_days)

    return make
