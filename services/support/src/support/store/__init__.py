"""Persistence of the support service: the only code that knows collection names.

One module per aggregate family; ``INDEXES`` declares every index, created at start-up.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from crm_chassis.mongo import IndexPlan

TICKETS = "tickets"
SURVEYS = "surveys"
SLA_POLICIES = "sla_policies"
CALENDARS = "business_calendars"
ROUTING_RULES = "routing_rules"
AGENTS = "agents"
CUSTOMERS = "customers"
ARTICLES = "knowledge_articles"
ATTACHMENTS = "attachments"

OUTBOX_COLLECTIONS = (TICKETS, SURVEYS)

INDEXES: IndexPlan = {
    TICKETS: [
        IndexModel([("reference", ASCENDING)], unique=True),
        # The Message-ID of the mail a ticket was opened from: one ticket per mail.
        IndexModel([("origin_mail_id", ASCENDING)], unique=True, sparse=True),
        IndexModel([("email_thread_ids", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("opened_at", DESCENDING)]),
        IndexModel([("assignee_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("team", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("customer_id", ASCENDING), ("opened_at", DESCENDING)]),
        IndexModel([("opened_at", ASCENDING)]),
        IndexModel([("sla.first_response.due_at", ASCENDING)]),
        IndexModel([("sla.resolution.due_at", ASCENDING)]),
        IndexModel([("sla.first_response.warn_at", ASCENDING)]),
        IndexModel([("sla.resolution.warn_at", ASCENDING)]),
    ],
    SURVEYS: [
        IndexModel([("ticket_id", ASCENDING)], unique=True),
        IndexModel([("status", ASCENDING), ("created_at", ASCENDING)]),
    ],
    SLA_POLICIES: [IndexModel([("priority", ASCENDING), ("tier", ASCENDING)])],
    CALENDARS: [IndexModel([("name", ASCENDING)], unique=True)],
    ROUTING_RULES: [IndexModel([("position", ASCENDING)])],
    AGENTS: [IndexModel([("team", ASCENDING), ("active", ASCENDING)])],
    CUSTOMERS: [IndexModel([("email", ASCENDING)]), IndexModel([("owner_id", ASCENDING)])],
    ARTICLES: [
        IndexModel([("search_terms", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("category", ASCENDING), ("status", ASCENDING)]),
    ],
    ATTACHMENTS: [IndexModel([("ticket_id", ASCENDING)])],
}
