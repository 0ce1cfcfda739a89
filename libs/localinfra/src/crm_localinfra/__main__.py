"""Command line: ``python -m crm_localinfra {run,stop,prepare}``.

``run``      start the whole platform (what ``make run`` does); Ctrl-C stops it.
``stop``     stop a platform started by ``run`` in another shell.
``prepare``  install missing server packages, build the Mongo launcher and the console,
             make keys and secrets (and docker compose's env files under .local/compose).
``test``     run every test suite (what ``make test`` does); extra arguments go to pytest.
``openapi``  write the gateway's merged OpenAPI document to FILE (the console's client
             is generated from it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crm_localinfra import testrun
from crm_localinfra.console import build_console
from crm_localinfra.keys import ensure_jwt_keys
from crm_localinfra.local_secrets import ensure_local_secrets, write_compose_env
from crm_localinfra.mongo import build_launcher
from crm_localinfra.openapi import write_merged_openapi
from crm_localinfra.paths import local_dir, repo_root
from crm_localinfra.platform import Platform, PlatformError, stop_platform
from crm_localinfra.platform_layout import InfraPorts, PlatformFolders
from crm_localinfra.system_packages import ensure_installed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crm_localinfra",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["run", "stop", "prepare", "test", "openapi"])
    parser.add_argument("file", nargs="?", type=Path, help="openapi: where to write it")
    parser.add_argument("--suite", action="append", default=[], help="test only these folders")
    args, pytest_args = parser.parse_known_args(argv)
    folders = PlatformFolders(local_dir())

    if args.command == "test":
        return testrun.main(Path.cwd(), args.suite, pytest_args)
    if args.command == "openapi":
        if args.file is None:
            parser.error("openapi needs the FILE to write")
        changed = write_merged_openapi(args.file)
        print(f"{args.file}: {'updated' if changed else 'unchanged'}")  # noqa: T201
        return 0
    if args.command == "prepare":
        ensure_installed()
        build_launcher()
        build_console(repo_root() / "console")
        ensure_jwt_keys(folders.keys)
        write_compose_env(folders.compose, ensure_local_secrets(folders.keys))
        return 0
    if args.command == "stop":
        stopped = stop_platform(folders)
        print("platform stopped" if stopped else "no platform was running")  # noqa: T201
        return 0
    try:
        return Platform(folders, InfraPorts.from_env()).run()
    except PlatformError as problem:
        print(f"make run failed: {problem}", file=sys.stderr)  # noqa: T201
        return 1


if __name__ == "__main__":
    sys.exit(main())
