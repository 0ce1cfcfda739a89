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
from sales.components import Components, components
from sales.domain.win_model import NotEnoughHistory
from sales.operations.opportunities import alert_stalled
from sales.operations.orders import remind_overdue
from sales.operations.tasks import send_reminders
from sales.operations.win_model import retrain
from sales.settings import Settings

log = logging.getLogger(__name__)

Job = Callable[[Components, Settings, datetime], Awaitable[int]]


async def _stalled(parts: Components, settings: Settings, now: datetime) -> int:
    return await alert_stalled(parts, settings.stall_days, now)


async def _overdue(parts: Components, settings: Settings, now: datetime) -> int:
    return await remind_overdue(parts, now)


async def _retrain(parts: Components, settings: Settings, now: datetime) -> int:
    try:
        model = await retrain(parts, settings.win_model_min_samples)
    except NotEnoughHistory:
        return 0
    log.info("win model retrained: holdout AUC %s", model.holdout_auc)
    return 0  # a new model publishes nothing


async def _task_reminders(parts: Components, settings: Settings, now: datetime) -> int:
    return await send_reminders(parts, now)


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
    parts: Components, settings: Settings, owner: str, now: datetime
) -> dict[str, int]:
    """Run every job whose run is due and that this replica claims; returns what each did."""
    done: dict[str, int] = {}
    for name, (job, interval) in schedule(settings).items():
        if not await parts.job_runs.claim(name, owner, now, interval):
            continue
        try:
            done[name] = await job(parts, settings, now)
        except Exception:
            # One failing job must not starve the others; it runs again next interval.
            log.exception("scheduled job %s failed", name)
    return done


async def start_jobs(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    settings = parts.settings
    if not settings.jobs_enabled:
        return
    owner = uuid.uuid4().hex

    async def run_round() -> None:
        done = await run_due_jobs(parts, settings, owner, utc_now())
        if any(done.values()):
            log.info("scheduled jobs ran: %s", done)

    parts.job_loop = PeriodicWork("sales-jobs", run_round, settings.jobs_interval_seconds)
    parts.job_loop.start()


async def stop_jobs(runtime: ServiceRuntime) -> None:
    parts = components(runtime)
    loop, parts.job_loop = parts.job_loop, None
    if loop is not None:
        await loop.stop()
