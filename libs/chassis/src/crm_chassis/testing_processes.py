"""A deployable run as a process of its own (``python -m <package>``), as it runs in its pod.

Test support, for what only a real server process shows: a signal (SIGTERM at a rolling
update: what the server does with the connections it holds, and how soon it exits) or
many connections at once. :meth:`crm_chassis.testing.ServiceRunner.process` runs a
service with the settings a test made (:func:`settings_environment`), so a process and
an app served in the test (:meth:`~crm_chassis.testing.ServiceRunner.serve`) can be two
replicas of one deployment.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, SecretBytes, SecretStr
from pydantic_core import to_jsonable_python
from pydantic_settings import BaseSettings

from crm_chassis.testing import free_port, wait_until


@dataclass
class ServiceProcess:
    """A running ``python -m <package>``: where it listens, the process and its log."""

    url: str
    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def terminate(self) -> None:
        """What the kubelet sends at a rolling update."""
        self.process.send_signal(signal.SIGTERM)


def settings_environment(settings: BaseSettings) -> dict[str, str]:
    """The environment variables from which ``settings`` are read back: each field under
    the class's prefix (``CRM_``), secrets in clear, nested settings as JSON."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    environment: dict[str, str] = {}
    for name in type(settings).model_fields:
        value = _plain(getattr(settings, name))
        if value is None:  # the field's default (a variable cannot say None)
            continue
        environment[f"{prefix}{name.upper()}"] = (
            value if isinstance(value, str) else json.dumps(value)
        )
    return environment


def _plain(value: Any) -> Any:
    """``value`` as JSON would hold it, secrets revealed."""
    if isinstance(value, SecretStr | SecretBytes):
        return _plain(value.get_secret_value())
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return to_jsonable_python(value)


async def _healthy(url: str) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{url}/healthz", timeout=1.0)).status_code == 200
    except httpx.TransportError:
        return False


@asynccontextmanager
async def service_process(
    package: str,
    environment: Mapping[str, str],
    log_dir: Path,
    *,
    startup_timeout: float = 60.0,
) -> AsyncIterator[ServiceProcess]:
    """Run ``python -m <package>`` with ``environment`` as its ``CRM_`` variables (none of
    this process's own) on a free port (``CRM_HTTP_PORT``), until it answers ``/healthz``.
    Killed at the end of the block if it is still running; its log is in ``log_dir``, and
    its end is written to stderr (pytest shows it when the test fails)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env |= {**environment, "CRM_HTTP_HOST": "127.0.0.1", "CRM_HTTP_PORT": str(port)}
    log_path = log_dir / f"{package}-{port}.log"
    with log_path.open("w") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", package, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    running = ServiceProcess(f"http://127.0.0.1:{port}", process, log_path)
    try:

        async def healthy() -> bool:
            if process.returncode is not None:
                raise RuntimeError(f"{package} exited at start-up:\n{running.log()[-4000:]}")
            return await _healthy(running.url)

        await wait_until(healthy, timeout=startup_timeout, what=f"the {package} process")
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        sys.stderr.write(running.log()[-4000:])
