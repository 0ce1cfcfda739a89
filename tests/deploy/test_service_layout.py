"""Every service is built one way (docs/ARCHITECTURE.md, "One layout"): a newcomer who
learned one service finds the same parts under the same names in the next.

The package of ``services/<name>`` holds only the entries below; a service may lack a
folder it does not need, never name it differently. Domain code does no I/O, and the
routes leave collections to the store.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(path.name for path in (ROOT / "services").iterdir() if (path / "src").is_dir())

FOLDERS = frozenset({"api", "operations", "domain", "store"})
MODULES = frozenset(
    {
        "__init__.py",
        "__main__.py",
        "app.py",
        "settings.py",
        "handlers.py",
        "components.py",
    }
)
REQUIRED = frozenset({"__init__.py", "__main__.py", "app.py", "settings.py", "api", "domain"})
# Domain code decides; it neither stores, serves, sends nor calls.
NO_IO_IN_DOMAIN = (
    "pymongo",
    "fastapi",
    "starlette",
    "aio_pika",
    "httpx",
    "redis",
    "smtplib",
    "aiosmtplib",
    "crm_chassis.service",
)


def _package(service: str) -> Path:
    return ROOT / "services" / service / "src" / service


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_every_service_is_checked() -> None:
    assert {"customer", "sales", "marketing", "support", "analytics"} <= set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_the_package_has_the_one_layout(service: str) -> None:
    entries = {
        path.name
        for path in _package(service).iterdir()
        if path.name != "__pycache__" and not path.name.endswith(".pyc")
    }
    folders = {name for name in entries if (_package(service) / name).is_dir()}
    modules = entries - folders
    assert folders - FOLDERS == set(), f"{service}: folders outside the layout"
    assert modules - MODULES == set(), f"{service}: modules outside the layout"
    assert REQUIRED - entries == set(), f"{service}: missing parts of the layout"
    for folder in folders:
        assert (_package(service) / folder / "__init__.py").is_file(), f"{service}/{folder}"


@pytest.mark.parametrize("service", SERVICES)
def test_domain_code_does_no_io(service: str) -> None:
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((_package(service) / "domain").rglob("*.py"))
        for module in _imports(path)
        if module.split(".")[0] in NO_IO_IN_DOMAIN or module in NO_IO_IN_DOMAIN
    ]
    assert offending == []


@pytest.mark.parametrize("service", SERVICES)
def test_routes_leave_collections_to_the_store(service: str) -> None:
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((_package(service) / "api").rglob("*.py"))
        for module in _imports(path)
        if module.startswith("pymongo")
    ]
    assert offending == []


@pytest.mark.parametrize("service", SERVICES)
def test_refusals_below_the_routes_are_domain_errors(service: str) -> None:
    """Use cases, rules, stores and handlers refuse with ``crm_chassis.domain_errors``;
    only the routes speak HTTP, so each refusal answers one status everywhere."""
    below_the_routes = [
        path
        for part in ("operations", "domain", "store")
        for path in sorted((_package(service) / part).rglob("*.py"))
    ] + [path for path in [_package(service) / "handlers.py"] if path.is_file()]
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in below_the_routes
        for module in _imports(path)
        if module == "crm_chassis.errors"
    ]
    assert offending == []
