"""The notifications collections and their indexes, created at start-up.

* ``notifications``: inbox items, unique per (event, recipient) and per (recipient,
  sequence); read by the inbox, the live stream's watcher and the mail sender.
* ``notification_preferences``: one document per person who changed a default.
* ``people``: the copy of the gateway's user directory (who is active, team, roles).
* ``digests``: one daily digest mail per person and day.
* ``customers``, ``mail_consent``: what customer notices need of customers (address,
  language, erasure; e-mail opt-outs by customer and by address).
* ``invoices``, ``payments``: what sales announced, for reminders and overdue notices.
* ``customer_notices``: the notices customers are owed, one per invoice step, order
  status and ticket.
* ``customer_notice_config``: the reminder steps and the administrators' templates.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from crm_chassis.mongo import IndexPlan

ITEMS = "notifications"
PREFERENCES = "notification_preferences"
PEOPLE = "people"
DIGESTS = "digests"
CUSTOMERS = "customers"
MAIL_CONSENT = "mail_consent"
INVOICES = "invoices"
PAYMENTS = "payments"
CUSTOMER_NOTICES = "customer_notices"
NOTICE_CONFIG = "customer_notice_config"

INDEXES: IndexPlan = {
    ITEMS: [
        # Exactly once: a redelivered event, or one handled by two replicas, collides.
        IndexModel(
            [("event_id", ASCENDING), ("recipient", ASCENDING)],
            unique=True,
            name="event_recipient_unique",
        ),
        # A person's numbering has no two items on one number; the newest is found here.
        IndexModel(
            [("recipient", ASCENDING), ("sequence", ASCENDING)],
            unique=True,
            name="recipient_sequence_unique",
        ),
        # The inbox: a person's shown items, unread first, newest first.
        IndexModel(
            [
                ("recipient", ASCENDING),
                ("console", ASCENDING),
                ("read", ASCENDING),
                ("sequence", DESCENDING),
            ],
            name="inbox",
        ),
        # The live stream's watcher: what was created lately.
        IndexModel([("created_at", ASCENDING)], name="created"),
        # The mail sender: items whose mail is due.
        IndexModel([("mail.state", ASCENDING), ("mail.due_at", ASCENDING)], name="mail_due"),
        # The daily digest: a person's items of one day.
        IndexModel([("recipient", ASCENDING), ("created_at", ASCENDING)], name="recipient_created"),
    ],
    PEOPLE: [IndexModel([("roles", ASCENDING), ("team", ASCENDING)], name="role_team")],
    DIGESTS: [IndexModel([("state", ASCENDING), ("due_at", ASCENDING)], name="digest_due")],
    INVOICES: [
        # The reminder scan: invoices due in a window of dates.
        IndexModel([("due_date", ASCENDING)], name="due_date"),
        IndexModel([("order_id", ASCENDING)], name="order"),
    ],
    PAYMENTS: [IndexModel([("order_id", ASCENDING)], name="order")],
    CUSTOMER_NOTICES: [
        IndexModel([("state", ASCENDING), ("due_at", ASCENDING)], name="notice_due"),
        IndexModel([("customer_id", ASCENDING)], name="customer"),
    ],
}
