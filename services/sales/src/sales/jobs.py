"""Scheduled jobs: every replica runs the loop, each due run is claimed by one of them.

The claim (``JobRunStore.claim``) makes a run happen once per interval across
replicas; each job's writes are themselves idempotent and version-checked, so even
two overlapping runs could not alert twice for the same thing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from crm_chassis.background import PeriodicWork
from crm_chassis.clock import utc_now
from crm_chassis.service import ServiceRuntime
from sales.domain.win_model import NotEnoughHistory
from sales.operations.opportunities import alert_stalled
from sales.operations.orders import remind_overdue
from sales.operations.tasks import send_reminders
from sales.operations.win_model import retrain
from sales.settings import Settings
from sales.store import SalesStore, store_of

log = logging.getLogger(__name__)

Job = Callable[[SalesStore, Settings, datetime], Awaitable[int]]
_LOOP = "jobs_loop"


async def _stalled(store: SalesStore, settings: Settings, now: datetime) -> int:
    return await alert_stalled(store, settings.stall_days, now)


async def _overdue(store: SalesStore, settings: Settings, now: datetime) -> int:
    return await remind_overdue(store, now)


async def _retrain(store: SalesStore, settings: Settings, now: datetime) -> int:
    try:
        model = await retrain(store, settings.win_model_min_samples)
    except NotEnoughHistory:
        return 0
    log.info("win model retrained: holdout AUC %s", model.holdout_auc)
    return 0  # a new model publishes nothing


async def _task_reminders(store: SalesStore, settings: Settings, now: datetime) -> int:
    return await send_reminders(store, now)


def schedule(settings: Settings) -> dict[str, tuple[Job, timedelta]]:
    """Job name -> (job, interval)."""
    every = timedelta(seconds=settings.jobs_interval_seconds)
    return {
        "stalled_opportunities": (_stalled, every),
        "overdue_invoices": (_overdue, every),
        "task_reminders": (_task_reminders, every),
        "win_model": (_retrain, timedelta(hours=settings.win_model_retrain_hours)),
    }


async def run_due_jobs(
    store: SalesStore, settings: Settings, owner: str, now: datetime
) -> dict[str, int]:
    """Run every job whose run is due and that this replica claims; returns what each did."""
    done: dict[str, int] = {}
    for name, (job, interval) in schedule(settings).items():
        if not await store.jobs.claim(name, owner, now, interval):
            continue
        try:
            done[name] = await job(store, settings, now)
        except Exception:
            # One failing job must not starve the others; it runs again next interval.
            log.exception("scheduled job %s failed", name)
    return done


async def start_jobs(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    if not (isinstance(settings, Settings) and settings.jobs_enabled):
        return
    owner = uuid.uuid4().hex

    async def run_round() -> None:
        done = await run_due_jobs(store_of(runtime), settings, owner, utc_now())
        if any(done.values()):
            runtime.notify_outbox()
            log.info("scheduled jobs ran: %s", done)

    loop = PeriodicWork("sales-jobs", run_round, settings.jobs_interval_seconds)
    loop.start()
    runtime.extras[_LOOP] = loop


async def stop_jobs(runtime: ServiceRuntime) -> None:
    loop = runtime.extras.pop(_LOOP, None)
    if isinstance(loop, PeriodicWork):
        await loop.stop()
