"""The analytics parts, built once per running app from its settings and database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from analytics.operations.delivery import ReportDelivery, ReportScheduler
from analytics.operations.projection import Projection, RollupRefresher, derivations
from analytics.settings import Settings
from analytics.store.read_models import AnalyticsStore
from analytics.store.schedules import ScheduleStore
from crm_chassis.service import ServiceRuntime


@dataclass
class Components:
    settings: Settings
    store: AnalyticsStore
    schedules: ScheduleStore
    refresher: RollupRefresher
    projection: Projection
    delivery: ReportDelivery
    scheduler: ReportScheduler


def build_components(runtime: ServiceRuntime) -> Components:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    store = AnalyticsStore(runtime.db, lease=timedelta(seconds=settings.rollup_lease_seconds))
    schedules = ScheduleStore(runtime.db, notify=runtime.notify_outbox)
    refresher = RollupRefresher(store, settings.rollup_refresh_seconds)
    derive = derivations(settings.clv_margin, settings.clv_discount_rate)
    delivery = ReportDelivery(store, schedules, settings.smtp)
    return Components(
        settings=settings,
        store=store,
        schedules=schedules,
        refresher=refresher,
        projection=Projection(store, derive, refresher.wake),
        delivery=delivery,
        scheduler=ReportScheduler(delivery, settings.schedule_poll_seconds),
    )


def components(runtime: ServiceRuntime) -> Components:
    """The service's parts, built on first use from the runtime's database."""
    return runtime.part(build_components)
