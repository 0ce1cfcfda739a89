"""Debian packages the local servers need, installed with apt when missing.

A fresh CI machine has neither RabbitMQ nor Redis, nor the Chromium the console's
browser tests drive (Debian's: no browser can be downloaded from elsewhere).
Installing RabbitMQ may start a system node on 5672; ours never uses it (own node
name, ports and folders).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

RABBITMQ_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")

# Debian package -> a file whose presence means it is installed.
_PACKAGES: dict[str, Path] = {
    "rabbitmq-server": RABBITMQ_SERVER,
    "redis-server": Path("/usr/bin/redis-server"),
    "chromium": Path("/usr/bin/chromium"),
    # Chinese glyphs for the console's screenshots and its zh-CN screens.
    "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
}


def missing_packages() -> list[str]:
    return [name for name, marker in _PACKAGES.items() if not marker.exists()]


def ensure_installed(packages: list[str] | None = None) -> None:
    """Install the given (default: all) server packages that are missing.

    Runs ``apt-get install -y``; only if that fails, ``apt-get update`` and retries.
    """
    wanted = [p for p in (packages or list(_PACKAGES)) if p in missing_packages()]
    if not wanted:
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise RuntimeError(
            f"missing Debian packages {wanted}; install them: apt-get install -y {' '.join(wanted)}"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "--no-install-recommends", *wanted]
    if subprocess.run(install, env=env, check=False).returncode != 0:  # noqa: S603
        subprocess.run([apt, "update"], env=env, check=True)  # noqa: S603
        subprocess.run(install, env=env, check=True)  # noqa: S603
    still_missing = [p for p in wanted if p in missing_packages()]
    if still_missing:
        raise RuntimeError(f"apt-get did not install {still_missing}")
