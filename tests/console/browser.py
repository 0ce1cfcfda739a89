"""Debian's Chromium driven by Playwright, and what every console test checks on a page.

No browser is downloaded: Playwright starts ``/usr/bin/chromium`` (``CRM_CHROMIUM``
overrides it) with the flags this closed network needs, headless, with a fresh profile.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import ConsoleMessage, Page, Request
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from crm_chassis.testing import wait_until

REPO = Path(__file__).resolve().parents[2]
CONSOLE_DIST = REPO / "console" / "dist"
AXE_SCRIPT = REPO / "console" / "node_modules" / "axe-core" / "axe.min.js"
# The README's pictures are refreshed with CRM_SCREENSHOTS=1; otherwise they go with
# the test results, so a test run leaves the tracked images alone.
SCREENSHOTS = (
    REPO / "docs" / "screenshots"
    if os.environ.get("CRM_SCREENSHOTS")
    else REPO / ".local" / "test-results" / "screenshots"
)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 860}


def chromium_path() -> str:
    found = os.environ.get("CRM_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise RuntimeError("Debian's chromium is missing: `make install` installs it")
    return found


@dataclass
class PageProblems:
    """What the page said went wrong: untranslated keys, script errors, failed calls."""

    missing_keys: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "i18n: missing key" in text:
            self.missing_keys.append(text)
        elif message.type == "error" and "Failed to load resource" not in text:
            self.errors.append(text)


# The console keeps this request open while a person is signed in (the bell's live
# notifications), so a page never becomes "network idle" in Playwright's sense.
LIVE_STREAM = "/api/v1/notifications/stream"


class PageRequests:
    """The page's requests in flight, but the live notification stream."""

    def __init__(self, page: Page) -> None:
        self._open: set[Request] = set()
        self._changed = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        if not request.url.split("?", 1)[0].endswith(LIVE_STREAM):
            self._open.add(request)
            self._changed = time.monotonic()

    def _ended(self, request: Request) -> None:
        self._open.discard(request)
        self._changed = time.monotonic()

    async def settled(self, quiet_seconds: float = 0.5, timeout: float = 30) -> None:
        """Wait until no request has been in flight for ``quiet_seconds`` (what
        ``wait_for_load_state("networkidle")`` does, had the stream not been open)."""
        await wait_until(
            lambda: not self._open and time.monotonic() - self._changed >= quiet_seconds,
            timeout=timeout,
            interval=0.1,
            what="the page's requests settled",
        )


async def axe_violations(
    page: Page, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[Any]:
    """axe-core's violations of the given impacts on the page as it is now."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern
    # (a <script> tag would be refused, as it should be).
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(f"() => {{ {AXE_SCRIPT.read_text()} }}")
    # Judge colours at rest: a tag changing state (an SLA clock turning green) fades its
    # background for 0.2 s, and mid-way its white text is on a pale colour.
    await page.wait_for_function(
        """() => document.getAnimations().every((a) =>
            a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)""",
        timeout=10_000,
    )
    result: dict[str, Any] = await page.evaluate("() => axe.run(document)")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"][:5]],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]


async def screenshot(page: Page, name: str) -> None:
    """A picture of the screen (for the README with ``CRM_SCREENSHOTS=1``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


async def fits_the_phone(page: Page, timeout_ms: float = 5_000) -> None:
    """Nothing on the page is wider than the phone's screen.

    The layout answers a narrower viewport a frame or more later (Ant Design's grid and
    the charts listen for the resize), so this waits for it to settle and only then
    reports the width it found.
    """
    script = "(width) => document.documentElement.scrollWidth <= width"
    try:
        await page.wait_for_function(script, arg=PHONE["width"], timeout=timeout_ms)
    except PlaywrightTimeoutError:
        width = await page.evaluate("() => document.documentElement.scrollWidth")
        raise AssertionError(f"the page is {width}px wide on a {PHONE['width']}px phone") from None
