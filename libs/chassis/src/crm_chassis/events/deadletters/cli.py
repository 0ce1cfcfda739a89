"""Command line over the dead-letter queue.

python -m crm_chassis.events.deadletters --amqp-url URL --service customer list
python -m crm_chassis.events.deadletters --amqp-url URL --service customer replay [--id X]
python -m crm_chassis.events.deadletters --amqp-url URL --service customer discard --id X
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

import aio_pika

from crm_chassis.events.deadletters.queue import (
    discard_dead_letters,
    list_dead_letters,
    replay_dead_letters,
)


async def run_cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crm_chassis.events.deadletters",
        description="List, replay or discard the dead letters of a service.",
    )
    parser.add_argument(
        "--amqp-url",
        default=os.environ.get("CRM_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        help="broker URL (default: $CRM_AMQP_URL or the local broker)",
    )
    parser.add_argument("--service", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="print dead letters as JSON lines")
    listing.add_argument("--limit", type=int, default=100)
    replaying = commands.add_parser("replay", help="move dead letters back to the work queue")
    replaying.add_argument("--id", dest="message_id", help="replay only this message id")
    discarding = commands.add_parser("discard", help="drop a dead letter for good")
    discarding.add_argument("--id", dest="message_id", required=True)
    args = parser.parse_args(argv)

    connection = await aio_pika.connect(args.amqp_url)
    try:
        if args.command == "list":
            for letter in await list_dead_letters(connection, args.service, limit=args.limit):
                sys.stdout.write(letter.model_dump_json() + "\n")
            return 0
        if args.command == "discard":
            discarded = await discard_dead_letters(
                connection, args.service, message_id=args.message_id
            )
            sys.stdout.write(json.dumps({"discarded": discarded}) + "\n")
            return 0 if discarded else 1
        replayed = await replay_dead_letters(connection, args.service, message_id=args.message_id)
        sys.stdout.write(json.dumps({"replayed": replayed}) + "\n")
        return 0 if replayed or args.message_id is None else 1
    finally:
        await connection.close()
