"""The service's parts, built once per running app from its settings and database."""

from __future__ import annotations

from dataclasses import dataclass

from crm_chassis.service import ServiceRuntime
from notifications.operations.live import LiveFeed
from notifications.settings import Settings
from notifications.store.items import ItemStore
from notifications.store.people import PeopleStore
from notifications.store.preferences import PreferenceStore


@dataclass
class Components:
    settings: Settings
    items: ItemStore
    preferences: PreferenceStore
    people: PeopleStore
    live: LiveFeed


def build_components(runtime: ServiceRuntime) -> Components:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    items = ItemStore(runtime.db)
    return Components(
        settings=settings,
        items=items,
        preferences=PreferenceStore(runtime.db),
        people=PeopleStore(runtime.db),
        live=LiveFeed(
            items,
            poll_seconds=settings.stream_poll_seconds,
            overlap_seconds=settings.stream_overlap_seconds,
            queue_size=settings.stream_queue_size,
        ),
    )


def components(runtime: ServiceRuntime) -> Components:
    """The runtime's components, built on first use and kept by the runtime."""
    return runtime.part(build_components)
