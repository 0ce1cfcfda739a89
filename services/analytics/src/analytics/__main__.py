"""``python -m analytics`` serves the API; ``python -m analytics rebuild`` replays the
event archive into empty read models (stop the service's consumers first)."""

from __future__ import annotations

import argparse
import asyncio
import logging

from analytics.app import create_app
from analytics.operations.projection import derivations, rebuild
from analytics.settings import Settings
from analytics.store.collections import INDEXES
from analytics.store.read_models import AnalyticsStore
from crm_chassis.mongo import create_client, database, ensure_indexes
from crm_chassis.service import run_service

log = logging.getLogger("analytics")


async def rebuild_read_models(settings: Settings) -> None:
    client = create_client(
        settings.mongo_url.get_secret_value(), timeout_ms=settings.mongo_timeout_ms
    )
    try:
        db = database(client, settings.mongo_db)
        await ensure_indexes(db, INDEXES)
        summary = await rebuild(
            AnalyticsStore(db), derivations(settings.clv_margin, settings.clv_discount_rate)
        )
        log.info(
            "rebuilt %d facts and %d rollups from %d archived events (%d skipped as invalid)",
            summary.facts, summary.rollups, summary.events, summary.skipped,
        )  # fmt: skip
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="analytics", description="CRM analytics service")
    parser.add_argument("command", nargs="?", choices=["serve", "rebuild"], default="serve")
    command = parser.parse_args(argv).command
    settings = Settings()
    if command == "rebuild":
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        asyncio.run(rebuild_read_models(settings))
        return
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
