"""Persistence of the sales service: the only code that knows collections and indexes."""

from __future__ import annotations

import contextlib
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.mongo import Document
from sales.domain.leads import Lead
from sales.domain.opportunities import Opportunity
from sales.domain.pipelines import Pipeline, default_pipeline
from sales.domain.quotes import Quote, QuoteTemplate
from sales.domain.tasks import Task
from sales.store import collections as c
from sales.store.config import ConfigStore
from sales.store.counters import CounterStore
from sales.store.customers import CustomerStore
from sales.store.documents import AggregateStore, TemplateStore, VersionConflict
from sales.store.jobs import JobRunStore
from sales.store.orders import OrderStore
from sales.store.routing import RoutingStore
from sales.store.web_forms import WebFormStore
from sales.store.win_models import WinModelStore

__all__ = ["SalesStore", "VersionConflict", "store_of"]


class SalesStore:
    """Every repository of the service, built once at start-up from the database."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db
        self.leads = AggregateStore(db[c.LEADS], Lead, "lead_id")
        self.opportunities = AggregateStore(db[c.OPPORTUNITIES], Opportunity, "opportunity_id")
        self.pipelines = AggregateStore(db[c.PIPELINES], Pipeline, "pipeline_id")
        self.orders = OrderStore(db)
        self.quotes = AggregateStore(db[c.QUOTES], Quote, "quote_id")
        self.quote_templates = TemplateStore(db[c.QUOTE_TEMPLATES], QuoteTemplate, "template_id")
        self.tasks = AggregateStore(db[c.TASKS], Task, "task_id")
        self.routing = RoutingStore(db)
        self.config = ConfigStore(db)
        self.counters = CounterStore(db)
        self.web_forms = WebFormStore(db)
        self.customers = CustomerStore(db)
        self.jobs = JobRunStore(db)
        self.win_models = WinModelStore(db)

    async def seed(self) -> None:
        """Create the default pipeline once (every replica may try; one insert wins)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.pipelines.insert(default_pipeline())


def store_of(runtime: Any) -> SalesStore:
    """The runtime's store, created on first use (event handlers may run before start-up hooks)."""
    if "store" not in runtime.extras:
        runtime.extras["store"] = SalesStore(runtime.db)
    store: SalesStore = runtime.extras["store"]
    return store
