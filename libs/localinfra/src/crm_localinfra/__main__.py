"""Command line: ``python -m crm_localinfra {run,stop,prepare}``.

``run``      start the whole platform (what ``make run`` does); Ctrl-C stops it.
``stop``     stop a platform started by ``run`` in another shell.
``prepare``  install missing server packages, build the Mongo launcher, make keys.
``test``     run every test suite (what ``make test`` does); extra arguments go to pytest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crm_localinfra import testrun
from crm_localinfra.keys import ensure_jwt_keys
from crm_localinfra.mongo import build_launcher
from crm_localinfra.paths import local_dir
from crm_localinfra.platform import Platform, PlatformError, stop_platform
from crm_localinfra.platform_layout import InfraPorts, PlatformFolders
from crm_localinfra.system_packages import ensure_installed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crm_localinfra",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["run", "stop", "prepare", "test"])
    parser.add_argument("--suite", action="append", default=[], help="test only these folders")
    args, pytest_args = parser.parse_known_args(argv)
    folders = PlatformFolders(local_dir())

    if args.command == "test":
        return testrun.main(Path.cwd(), args.suite, pytest_args)
    if args.command == "prepare":
        ensure_installed()
        build_launcher()
        ensure_jwt_keys(folders.keys)
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
