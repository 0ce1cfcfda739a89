"""Which account changes the rest of the platform hears of (crm.gateway.user.changed.v1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from crm_contracts.access import Role
from gateway.domain.users import UserPatch, UserRecord, change_user, directory_event

CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = CREATED + timedelta(hours=1)


def _rep() -> UserRecord:
    return UserRecord(
        id="usr_1",
        email="rep@crm.local",
        password_hash="hash",
        display_name="Li Lei",
        roles=[Role.SALES_REP],
        team="north",
        version=3,
        created_at=CREATED,
        updated_at=CREATED,
    )


def test_directory_event_is_the_whole_entry_at_its_version() -> None:
    event = directory_event(_rep())

    assert event.model_dump(mode="json") == {
        "user_id": "usr_1",
        "email": "rep@crm.local",
        "display_name": "Li Lei",
        "roles": ["sales_rep"],
        "team": "north",
        "active": True,
        "version": 3,
        "changed_at": "2026-03-01T09:00:00Z",
    }


@pytest.mark.parametrize(
    ("patch", "field", "value"),
    [
        ({"roles": ["sales_manager"]}, "roles", ["sales_manager"]),
        ({"team": "south"}, "team", "south"),
        ({"display_name": "Li Lei (north)"}, "display_name", "Li Lei (north)"),
        ({"email": "Lei.Li@CRM.local"}, "email", "lei.li@crm.local"),
        ({"active": False}, "active", False),
    ],
)
def test_a_change_others_know_of_gives_one_event_with_the_new_state(
    patch: dict[str, object], field: str, value: object
) -> None:
    changed, events = change_user(_rep(), UserPatch.model_validate(patch), LATER)

    assert changed.version == 4
    assert [event.model_dump(mode="json")[field] for event in events] == [value]
    assert events[0].version == 4
    assert events[0].changed_at == LATER


def test_a_new_password_or_an_unchanged_value_is_not_announced() -> None:
    password, password_events = change_user(
        _rep(), UserPatch(password="a-new-long-password"), LATER, password_hash="new-hash"
    )
    same, same_events = change_user(_rep(), UserPatch(team="north", roles=[Role.SALES_REP]), LATER)

    assert password.password_hash == "new-hash"
    assert password_events == []
    assert same.version == 4
    assert same_events == []


def test_a_refused_change_raises_before_any_event() -> None:
    with pytest.raises(ValueError, match="a sales manager needs a team"):
        change_user(_rep(), UserPatch(roles=[Role.SALES_MANAGER], team=None), LATER)


@pytest.mark.parametrize("field", ["email", "display_name", "roles", "active", "password"])
def test_only_the_team_may_be_set_to_null(field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        UserPatch.model_validate({field: None})

    assert refused.value.errors()[0]["loc"] == (field,)
    assert UserPatch.model_validate({"team": None}).model_fields_set == {"team"}
