"""Collection names and their indexes, created at start-up."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from crm_chassis.mongo import IndexPlan

CUSTOMERS = "customers"
CONTACTS = "contacts"
TIMELINE = "timeline"
AUDIT = "audit"
COUNTERS = "counters"
CUSTOM_FIELDS = "custom_fields"
IMPORTS = "imports"
IMPORT_BATCHES = "import_batches"
RELATIONS = "relations"

OUTBOX_COLLECTIONS = (CUSTOMERS, TIMELINE, IMPORTS, IMPORT_BATCHES)

INDEXES: IndexPlan = {
    CUSTOMERS: [
        IndexModel([("member_id", ASCENDING)], unique=True, name="member_id_unique"),
        # Sparse: erased and merged customers drop these fields and free the values.
        IndexModel([("email", ASCENDING)], unique=True, sparse=True, name="email_unique"),
        IndexModel([("phone_index", ASCENDING)], unique=True, sparse=True, name="phone_unique"),
        IndexModel([("national_id_index", ASCENDING)], sparse=True, name="national_id_lookup"),
        # No index on status: nearly every customer is active.
        IndexModel([("created_at", DESCENDING)], name="created"),
        IndexModel([("import_id", ASCENDING)], sparse=True, name="import"),
        IndexModel([("owner_id", ASCENDING)], name="owner"),
        IndexModel([("team", ASCENDING)], name="team"),
        IndexModel([("tier", ASCENDING)], name="tier"),
        IndexModel([("tags", ASCENDING)], name="tags"),
        IndexModel([("dedupe_key", ASCENDING)], name="name_company"),
    ],
    CONTACTS: [IndexModel([("customer_id", ASCENDING)], name="customer")],
    TIMELINE: [
        IndexModel([("customer_id", ASCENDING), ("occurred_at", DESCENDING)], name="customer_time")
    ],
    AUDIT: [
        IndexModel([("customer_id", ASCENDING), ("at", DESCENDING)], name="customer_time"),
    ],
    IMPORTS: [IndexModel([("state", ASCENDING)], name="state")],
    IMPORT_BATCHES: [IndexModel([("import_id", ASCENDING)], name="import")],
    RELATIONS: [
        IndexModel([("source_id", ASCENDING)], name="source"),
        IndexModel([("target_id", ASCENDING)], name="target"),
    ],
}
