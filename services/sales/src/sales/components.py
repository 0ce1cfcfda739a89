"""The service's parts, built once per running app from its settings and database."""

from __future__ import annotations

from dataclasses import dataclass

from crm_chassis.background import PeriodicWork
from crm_chassis.service import ServiceRuntime
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from sales.domain.opportunities import Opportunity
from sales.domain.pipelines import Pipeline
from sales.domain.quotes import Quote
from sales.domain.tasks import Task
from sales.settings import Settings
from sales.store import collections as c
from sales.store.config import ConfigStore
from sales.store.counters import CounterStore
from sales.store.customers import CustomerStore
from sales.store.jobs import JobRunStore
from sales.store.leads import LeadStore
from sales.store.orders import OrderStore
from sales.store.quote_templates import QuoteTemplateStore
from sales.store.routing import RoutingStore
from sales.store.web_forms import WebFormStore
from sales.store.win_models import WinModelStore


@dataclass
class Components:
    settings: Settings
    leads: LeadStore
    opportunities: VersionedStore[Opportunity]
    pipelines: VersionedStore[Pipeline]
    orders: OrderStore
    quotes: VersionedStore[Quote]
    quote_templates: QuoteTemplateStore
    tasks: VersionedStore[Task]
    routing: RoutingStore
    config: ConfigStore
    counters: CounterStore
    web_forms: WebFormStore
    customers: CustomerStore
    job_runs: JobRunStore
    win_models: WinModelStore
    # The scheduled jobs' loop while it runs (started and stopped with the app).
    job_loop: PeriodicWork | None = None


def build_components(runtime: ServiceRuntime) -> Components:
    """A new set of parts on the runtime's database; :func:`components` keeps one."""
    settings = runtime.settings
    assert isinstance(settings, Settings)
    db = runtime.db
    # Every write that carries events wakes the relay, so it publishes them at once.
    notify = runtime.notify_outbox
    return Components(
        settings=settings,
        leads=LeadStore(db, notify=notify),
        opportunities=VersionedStore(
            db[c.OPPORTUNITIES], ModelCodec(Opportunity, "opportunity_id"), notify=notify
        ),
        pipelines=VersionedStore(db[c.PIPELINES], ModelCodec(Pipeline, "pipeline_id")),
        orders=OrderStore(db, notify=notify),
        quotes=VersionedStore(db[c.QUOTES], ModelCodec(Quote, "quote_id"), notify=notify),
        quote_templates=QuoteTemplateStore(db),
        tasks=VersionedStore(db[c.TASKS], ModelCodec(Task, "task_id"), notify=notify),
        routing=RoutingStore(db),
        config=ConfigStore(db),
        counters=CounterStore(db),
        web_forms=WebFormStore(db),
        customers=CustomerStore(db),
        job_runs=JobRunStore(db),
        win_models=WinModelStore(db),
    )


def components(runtime: ServiceRuntime) -> Components:
    """The runtime's parts, built on first use (event handlers may run before start-up
    hooks)."""
    return runtime.part(build_components)
