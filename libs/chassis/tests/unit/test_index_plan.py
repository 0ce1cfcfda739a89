"""A service's index plan, with the event machinery's indexes, indexes each key once."""

from __future__ import annotations

import pytest
from pymongo import ASCENDING, IndexModel

from crm_chassis.events import EventingSettings
from crm_chassis.mongo import indexes_on_same_key
from crm_chassis.service import ServiceDefinition, require_distinct_indexes


def test_a_service_indexing_the_outbox_marker_again_is_refused() -> None:
    """The chassis indexes ``_outbox_since`` of every outbox collection as outbox_pending;
    the same key declared by the service under another name would not start on MongoDB."""
    definition = ServiceDefinition(
        title="reports",
        routers=[],
        indexes={"schedules": [IndexModel("next_run_at"), IndexModel("_outbox_since")]},
        outbox_collections=["schedules"],
    )
    with pytest.raises(ValueError, match="schedules: outbox_pending and _outbox_since_1"):
        require_distinct_indexes(definition, EventingSettings())


def test_indexes_on_one_key_are_found_per_collection_whatever_their_options() -> None:
    plan = {
        "a": [
            IndexModel([("x", ASCENDING), ("y", ASCENDING)], name="xy"),
            IndexModel([("y", ASCENDING), ("x", ASCENDING)], name="yx"),
            IndexModel([("x", ASCENDING), ("y", ASCENDING)], unique=True, name="xy_unique"),
        ],
        "b": [IndexModel([("x", ASCENDING), ("y", ASCENDING)], name="xy")],
    }
    assert indexes_on_same_key(plan) == ["a: xy_unique and xy both index {'x': 1, 'y': 1}"]
