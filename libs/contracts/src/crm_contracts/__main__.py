"""``python -m crm_contracts publish-schemas | asyncapi``: maintain the published contracts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crm_contracts.asyncapi import asyncapi_document
from crm_contracts.compatibility import write_published

DEFAULT_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m crm_contracts")
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish-schemas", help="snapshot schemas of new event types")
    publish.add_argument("--folder", type=Path, default=DEFAULT_SCHEMAS)
    document = commands.add_parser("asyncapi", help="print the AsyncAPI document (JSON)")
    document.add_argument("--output", type=Path)
    args = parser.parse_args()
    if args.command == "publish-schemas":
        for name in write_published(args.folder):
            sys.stdout.write(f"published {name}\n")
    else:
        text = json.dumps(asyncapi_document(), indent=2) + "\n"
        if args.output:
            args.output.write_text(text)
        else:
            sys.stdout.write(text)


if __name__ == "__main__":
    main()
