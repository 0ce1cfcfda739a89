"""``make test``: every suite in its own pytest process, sharing one set of servers.

Each deployable owns its tests, and two packages' test folders may well share
module names (``tests/integration/conftest.py``), so each suite runs in a pytest
process of its own, as its team runs it. The servers (MongoDB-protocol server,
RabbitMQ, Redis) are started once and handed to every suite through the
``CRM_TEST_*`` variables the pytest plugin reads first. The closing line sums all
suites up; a suite that collects no test fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from crm_localinfra.infra import LocalInfra
from crm_localinfra.pytest_plugin import ENVIRONMENT_URLS

SUITES = (
    "libs/contracts",
    "libs/chassis",
    "libs/localinfra",
    "gateway",
    "services/customer",
    "services/sales",
    "services/marketing",
    "services/support",
    "services/analytics",
    "services/notifications",
    "console",
    "tests",
)
NO_TESTS_COLLECTED = 5
# The console's own checks, in order; the last one writes the JUnit report.
CONSOLE_CHECKS = (
    ("npm", "run", "typecheck"),
    ("npm", "run", "lint"),
    ("npx", "vitest", "run", "--reporter=default", "--reporter=junit"),
)


class HasUrl(Protocol):
    @property
    def url(self) -> str: ...


@dataclass
class SuiteResult:
    suite: str
    exit_code: int
    seconds: float
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.passed > 0


def _count(result: SuiteResult, report: Path) -> None:
    if not report.exists():
        return
    for suite in ElementTree.parse(report).getroot().iter("testsuite"):  # noqa: S314 - our own file
        tests = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        result.failed += failed
        result.skipped += skipped
        result.passed += tests - failed - skipped


def _run_console_checks(console: Path, report: Path) -> int:
    """Type check, lint, then the unit tests (TypeScript; the browser journeys are
    pytest's, in ``tests/console``)."""
    for check in CONSOLE_CHECKS:
        arguments = list(check)
        if check[1] == "vitest":
            arguments.append(f"--outputFile.junit={report}")
        exit_code = subprocess.call(arguments, cwd=console)  # noqa: S603 - our commands
        if exit_code != 0:
            return exit_code
    return 0


def run_suite(root: Path, suite: str, results_dir: Path, extra: Sequence[str]) -> SuiteResult:
    report = results_dir / f"{suite.replace('/', '-')}.xml"
    report.unlink(missing_ok=True)
    started = time.monotonic()
    print(f"\n=== {suite}", flush=True)  # noqa: T201
    if suite == "console":
        exit_code = _run_console_checks(root / suite, report)
    else:
        command = [sys.executable, "-m", "pytest", suite, f"--junitxml={report}", *extra]
        exit_code = subprocess.call(command, cwd=root)  # noqa: S603 - our interpreter, our args
    result = SuiteResult(suite, exit_code, time.monotonic() - started)
    _count(result, report)
    return result


def main(root: Path, suites: Sequence[str], extra: Sequence[str]) -> int:
    results_dir = root / ".local" / "test-results"
    results_dir.mkdir(parents=True, exist_ok=True)
    results = []
    started = time.monotonic()
    # Servers the caller did not point at are started here, once, for every suite.
    with LocalInfra() as infra:
        starters: dict[str, Callable[[], HasUrl]] = {
            "mongo": infra.mongo,
            "rabbitmq": infra.rabbitmq,
            "redis": infra.redis,
        }
        for name, start in starters.items():
            if not os.environ.get(ENVIRONMENT_URLS[name]):
                os.environ[ENVIRONMENT_URLS[name]] = start().url
        for suite in suites or SUITES:
            results.append(run_suite(root, suite, results_dir, extra))
    _summarise(results, time.monotonic() - started)
    return 0 if all(result.ok for result in results) else 1


def _summarise(results: Sequence[SuiteResult], seconds: float) -> None:
    lines = ["", f"{'suite':<22}{'passed':>8}{'failed':>8}{'skipped':>9}{'seconds':>9}"]
    for result in results:
        note = ""
        if result.exit_code == NO_TESTS_COLLECTED:
            note = "  no tests ran"
        elif not result.ok:
            note = f"  exit {result.exit_code}"
        lines.append(
            f"{result.suite:<22}{result.passed:>8}{result.failed:>8}{result.skipped:>9}"
            f"{result.seconds:>9.1f}{note}"
        )
    passed = sum(result.passed for result in results)
    failed = sum(result.failed for result in results) + sum(
        1 for result in results if not result.ok and result.failed == 0
    )
    skipped = sum(result.skipped for result in results)
    lines.append(f"all suites in {seconds:.0f} s")
    lines.append(f"{passed} passed, {failed} failed, {skipped} skipped")
    print("\n".join(lines), flush=True)  # noqa: T201
