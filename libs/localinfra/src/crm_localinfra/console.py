"""The console's build for ``make install``: its packages (``npm ci``, from the lock
file only), the API document its client is typed from, and ``console/dist``.

The merged OpenAPI document is written first, so a change of the API that the
console's code does not follow fails here, at the type check of the build.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from crm_localinfra.openapi import write_merged_openapi

_SOURCES = ("src", "public", "index.html", "package-lock.json", "vite.config.ts", "openapi.json")


def _newest_source(console: Path) -> float:
    newest = 0.0
    for name in _SOURCES:
        path = console / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def build_console(console: Path) -> None:
    """Install the console's packages if the lock file changed, and build it if any of
    its sources is newer than the last build."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is missing: the console is built with Node.js 20 and npm")
    installed = console / "node_modules" / ".package-lock.json"
    lock = console / "package-lock.json"
    if not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=console, check=True)  # noqa: S603
    write_merged_openapi(console / "openapi.json")
    built = console / "dist" / "index.html"
    if built.is_file() and built.stat().st_mtime >= _newest_source(console):
        return
    subprocess.run([npm, "run", "build"], cwd=console, check=True)  # noqa: S603
