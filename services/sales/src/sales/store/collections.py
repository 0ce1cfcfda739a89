"""Every collection of the sales database and its indexes (created at start-up)."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from crm_chassis.mongo import IndexPlan

LEADS = "leads"
OPPORTUNITIES = "opportunities"
PIPELINES = "pipelines"
ORDERS = "orders"
QUOTES = "quotes"
QUOTE_TEMPLATES = "quote_templates"
TASKS = "tasks"
REPS = "reps"
REP_LOADS = "rep_loads"
ROUTING_RULES = "routing_rules"
COUNTERS = "counters"
CONFIG = "config"
WEB_FORMS = "web_forms"
RATE_WINDOWS = "rate_windows"
CUSTOMERS = "customers"
JOB_RUNS = "job_runs"
WIN_MODELS = "win_models"

# Collections whose documents carry pending events for the relay.
OUTBOX_COLLECTIONS = (LEADS, OPPORTUNITIES, ORDERS, QUOTES, TASKS)

INDEXES: IndexPlan = {
    LEADS: [
        IndexModel([("status", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("owner_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("team", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("prospect.email", ASCENDING)]),
        IndexModel([("customer_id", ASCENDING)]),
    ],
    OPPORTUNITIES: [
        IndexModel([("status", ASCENDING), ("stage_changed_at", ASCENDING)]),
        IndexModel([("owner_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("team", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("customer_id", ASCENDING)]),
        IndexModel([("expected_close", ASCENDING)]),
    ],
    ORDERS: [
        IndexModel([("order_number", ASCENDING)], unique=True),
        IndexModel([("customer_id", ASCENDING)]),
        IndexModel([("invoices.invoice_id", ASCENDING)]),
        IndexModel([("owner_id", ASCENDING)]),
        IndexModel([("quote_id", ASCENDING)]),
        # One order per quote (see sales.store.orders.ORDERED_QUOTE).
        IndexModel([("ordered_quote_id", ASCENDING)], unique=True, sparse=True),
    ],
    QUOTES: [IndexModel([("opportunity_id", ASCENDING)])],
    TASKS: [
        IndexModel([("assignee_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("due_at", ASCENDING)]),
    ],
    REPS: [IndexModel([("team", ASCENDING)])],
    ROUTING_RULES: [IndexModel([("position", ASCENDING)])],
    CUSTOMERS: [IndexModel([("name", ASCENDING)])],
    RATE_WINDOWS: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
    WIN_MODELS: [IndexModel([("trained_at", DESCENDING)])],
}
