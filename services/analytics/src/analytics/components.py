"""The analytics components held by the chassis runtime (created once per app)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from analytics.operations.projection import Projection, RollupRefresher, derivations
from analytics.settings import Settings
from analytics.store.read_models import AnalyticsStore
from analytics.store.schedules import ScheduleStore
from crm_chassis.service import ServiceRuntime

_KEY = "analytics"


@dataclass
class Components:
    settings: Settings
    store: AnalyticsStore
    schedules: ScheduleStore
    refresher: RollupRefresher
    projection: Projection


def components(runtime: ServiceRuntime) -> Components:
    """The service's components, created on first use from the runtime's database."""
    existing = runtime.extras.get(_KEY)
    if isinstance(existing, Components):
        return existing
    settings = runtime.settings
    assert isinstance(settings, Settings)
    store = AnalyticsStore(runtime.db, lease=timedelta(seconds=settings.rollup_lease_seconds))
    refresher = RollupRefresher(store, settings.rollup_refresh_seconds)
    derive = derivations(settings.clv_margin, settings.clv_discount_rate)
    created = Components(
        settings=settings,
        store=store,
        schedules=ScheduleStore(runtime.db),
        refresher=refresher,
        projection=Projection(store, derive, refresher.wake),
    )
    runtime.extras[_KEY] = created
    return created


def projection_of(runtime: ServiceRuntime) -> Projection:
    return components(runtime).projection
