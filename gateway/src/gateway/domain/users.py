"""People who sign in: the rules for creating and changing a user account."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crm_contracts.access import Role
from crm_contracts.events.gateway import UserChanged
from gateway.domain.passwords import MIN_PASSWORD_LENGTH

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$|^[^@\s]+@[^@\s.]+\.local$")
TEAM_ROLES = frozenset({Role.SALES_MANAGER})


def normalise_email(value: str) -> str:
    email = value.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValueError("not a valid e-mail address")
    return email


def new_user_id() -> str:
    return "usr_" + secrets.token_hex(8)


def _check_password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(value) > 256:
        raise ValueError("must have at most 256 characters")
    return value


def _check_team_roles(roles: list[Role] | None, team: str | None) -> None:
    if roles and TEAM_ROLES.intersection(roles) and not team:
        raise ValueError("a sales manager needs a team")


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str
    password: str
    display_name: str = Field(default="", max_length=200)
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    team: str | None = Field(default=None, min_length=1, max_length=100)
    active: bool = True

    _email = field_validator("email")(normalise_email)
    _password = field_validator("password")(_check_password)

    @model_validator(mode="after")
    def _team_for_managers(self) -> UserCreate:
        _check_team_roles(self.roles, self.team)
        return self


class UserPatch(BaseModel):
    """A change to an account; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = None
    display_name: str | None = Field(default=None, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=len(Role))
    team: str | None = Field(default=None, min_length=1, max_length=100)
    active: bool | None = None
    password: str | None = None

    @field_validator("email", "display_name", "roles", "active", "password", mode="before")
    @classmethod
    def _absent_rather_than_null(cls, value: object) -> object:
        # Only the team can be removed (null); the others are left out to keep them.
        if value is None:
            raise ValueError("leave the field out to keep it; it cannot be null")
        return value

    @field_validator("email")
    @classmethod
    def _email_rules(cls, value: str | None) -> str | None:
        return None if value is None else normalise_email(value)

    @field_validator("password")
    @classmethod
    def _password_rules(cls, value: str | None) -> str | None:
        return None if value is None else _check_password(value)


class UserRecord(BaseModel):
    """A user as stored (``_id`` is the user id)."""

    id: str = Field(alias="_id")
    email: str
    password_hash: str
    display_name: str = ""
    roles: list[Role]
    team: str | None = None
    active: bool = True
    version: int = 1
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(populate_by_name=True)


class UserOut(BaseModel):
    id: str
    email: str
    display_name: str
    roles: list[Role]
    team: str | None
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: UserRecord) -> UserOut:
        return cls.model_validate(record.model_dump(exclude={"password_hash"}))


class DirectoryEntry(BaseModel):
    """What colleagues may know of a person: a name to show, a team, whether active."""

    id: str = Field(alias="_id")
    email: str
    display_name: str = ""
    team: str | None = None
    active: bool = True

    model_config = ConfigDict(populate_by_name=True)

    @property
    def name(self) -> str:
        """The display name, or the e-mail's local part for an account without one."""
        return self.display_name.strip() or self.email.split("@", 1)[0]


def apply_patch(record: UserRecord, patch: UserPatch) -> dict[str, object]:
    """The stored fields that change (the password is hashed by the caller)."""
    changes = patch.model_dump(exclude_unset=True, exclude={"password"})
    roles = changes.get("roles", record.roles)
    team = changes.get("team", record.team)
    _check_team_roles(roles, team)
    return changes


def directory_event(record: UserRecord) -> UserChanged:
    """What the rest of the platform learns of a person: their entry as it now is."""
    return UserChanged(
        user_id=record.id,
        email=record.email,
        display_name=record.display_name,
        roles=[Role(role).value for role in record.roles],
        team=record.team,
        active=record.active,
        version=record.version,
        changed_at=record.updated_at,
    )


def _directory_entry(record: UserRecord) -> tuple[object, ...]:
    return (
        record.email,
        record.display_name,
        sorted(Role(role).value for role in record.roles),
        record.team,
        record.active,
    )


def change_user(
    record: UserRecord, patch: UserPatch, now: datetime, password_hash: str | None = None
) -> tuple[UserRecord, list[UserChanged]]:
    """The account after ``patch`` (one version up) and the events it causes: a
    directory event when what others know of the person (e-mail, name, roles, team,
    active) changed, none for a password alone. Raises ValueError when the patch breaks
    a rule (a sales manager without a team)."""
    changes = apply_patch(record, patch)
    if password_hash is not None:
        changes["password_hash"] = password_hash
    changed = record.model_copy(
        update={**changes, "version": record.version + 1, "updated_at": now}
    )
    if _directory_entry(changed) == _directory_entry(record):
        return changed, []
    return changed, [directory_event(changed)]


def revokes_sessions(patch: UserPatch) -> bool:
    """Changes after which tokens already issued must stop working: a token carries the
    roles and team it was issued with, so it must not outlive a change to either."""
    changed = patch.model_fields_set
    return patch.active is False or bool({"roles", "team", "password"} & changed)
