"""The service's parts, built once per running app from its settings and database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm_chassis.background import PeriodicWork
from crm_chassis.service import ServiceRuntime
from sales.domain.opportunities import Opportunity
from sales.domain.pipelines import Pipeline
from sales.domain.quotes import Quote, QuoteTemplate
from sales.domain.tasks import Task
from sales.settings import Settings
from sales.store import collections as c
from sales.store.config import ConfigStore
from sales.store.counters import CounterStore
from sales.store.customers import CustomerStore
from sales.store.documents import AggregateStore, TemplateStore
from sales.store.jobs import JobRunStore
from sales.store.leads import LeadStore
from sales.store.orders import OrderStore
from sales.store.routing import RoutingStore
from sales.store.web_forms import WebFormStore
from sales.store.win_models import WinModelStore


@dataclass
class Components:
    settings: Settings
    leads: LeadStore
    opportunities: AggregateStore[Opportunity]
    pipelines: AggregateStore[Pipeline]
    orders: OrderStore
    quotes: AggregateStore[Quote]
    quote_templates: TemplateStore[QuoteTemplate]
    tasks: AggregateStore[Task]
    routing: RoutingStore
    config: ConfigStore
    counters: CounterStore
    web_forms: WebFormStore
    customers: CustomerStore
    job_runs: JobRunStore
    win_models: WinModelStore
    notify_outbox: Callable[[], None]
    # The scheduled jobs' loop while it runs (started and stopped with the app).
    job_loop: PeriodicWork | None = None


def build_components(runtime: ServiceRuntime) -> Components:
    """A new set of parts on the runtime's database; :func:`components` keeps one."""
    settings = runtime.settings
    assert isinstance(settings, Settings)
    db = runtime.db
    return Components(
        settings=settings,
        leads=LeadStore(db),
        opportunities=AggregateStore(db[c.OPPORTUNITIES], Opportunity, "opportunity_id"),
        pipelines=AggregateStore(db[c.PIPELINES], Pipeline, "pipeline_id"),
        orders=OrderStore(db),
        quotes=AggregateStore(db[c.QUOTES], Quote, "quote_id"),
        quote_templates=TemplateStore(db[c.QUOTE_TEMPLATES], QuoteTemplate, "template_id"),
        tasks=AggregateStore(db[c.TASKS], Task, "task_id"),
        routing=RoutingStore(db),
        config=ConfigStore(db),
        counters=CounterStore(db),
        web_forms=WebFormStore(db),
        customers=CustomerStore(db),
        job_runs=JobRunStore(db),
        win_models=WinModelStore(db),
        notify_outbox=runtime.notify_outbox,
    )


def components(runtime: ServiceRuntime) -> Components:
    """The runtime's parts, built on first use (event handlers may run before start-up
    hooks)."""
    return runtime.part(build_components)
