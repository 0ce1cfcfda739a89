"""The notifications collections and their indexes, created at start-up.

* ``notifications``: inbox items, unique per (event, recipient) and per (recipient,
  sequence); read by the inbox, the live stream's watcher and the mail sender.
* ``notification_preferences``: one document per person who changed a default.
* ``people``: the copy of the gateway's user directory (who is active, team, roles).
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from crm_chassis.mongo import IndexPlan

ITEMS = "notifications"
PREFERENCES = "notification_preferences"
PEOPLE = "people"

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
    ],
    PEOPLE: [IndexModel([("roles", ASCENDING), ("team", ASCENDING)], name="role_team")],
}
