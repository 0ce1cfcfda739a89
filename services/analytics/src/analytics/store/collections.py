"""The analytics collections and their indexes.

* ``event_archive``: every consumed event, once, by id (the source of rebuilds).
* ``<kind>_facts``: one document per fact, with a version for compare-and-set
  updates and the ids of the rollups it belongs to.
* ``rollups``: the precomputed summaries the reports read; ``rollup_dirty`` the
  rollups waiting to be recomputed, with a lease so one worker recomputes each.
* ``dashboards``: stored dashboards and the generation they are valid for.
* ``report_schedules``: scheduled e-mail reports (carry an outbox).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import ASCENDING, DESCENDING, IndexModel

from analytics.domain.facts import FactKind
from crm_chassis.mongo import IndexPlan

ARCHIVE = "event_archive"
ROLLUPS = "rollups"
DIRTY = "rollup_dirty"
SCHEDULES = "report_schedules"
DASHBOARDS = "dashboards"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def facts_collection(kind: FactKind) -> str:
    return f"{kind.value}_facts"


READ_MODEL_COLLECTIONS = [*(facts_collection(kind) for kind in FactKind), ROLLUPS, DIRTY]

INDEXES: IndexPlan = {
    ARCHIVE: [IndexModel([("time", ASCENDING), ("_id", ASCENDING)]), IndexModel("type")],
    ROLLUPS: [IndexModel([("family", ASCENDING), ("owner", ASCENDING), ("period", ASCENDING)])],
    DIRTY: [IndexModel("lease_until"), IndexModel("lease_owner")],
    # The outbox marker (_outbox_since) is indexed by the chassis as outbox_pending.
    SCHEDULES: [IndexModel("next_run_at")],
    **{facts_collection(kind): [IndexModel("rollup_keys")] for kind in FactKind},
    facts_collection(FactKind.CUSTOMER): [
        IndexModel("rollup_keys"),
        IndexModel([("active", ASCENDING), ("lifetime_value", DESCENDING)]),
        IndexModel([("active", ASCENDING), ("last_activity_at", ASCENDING)]),
    ],
}
