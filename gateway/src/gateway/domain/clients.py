"""Integration clients: other systems that get tokens with client credentials."""

from __future__ import annotations

import secrets
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crm_contracts.access import Permission, Role, permissions_of

CLIENT_SECRET_PREFIX = "ccs_"  # noqa: S105 - a prefix, not a secret


def new_client_id() -> str:
    return "cli_" + secrets.token_hex(8)


def new_client_secret() -> str:
    return CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32)


def _check_scopes(roles: list[Role], scopes: list[Permission]) -> None:
    granted = permissions_of(roles)
    beyond = sorted(scope.value for scope in scopes if scope not in granted)
    if beyond:
        raise ValueError(f"scopes beyond the client's roles: {', '.join(beyond)}")


class ClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(default_factory=lambda: [Role.INTEGRATION], min_length=1)
    scopes: list[Permission] = Field(
        default_factory=list,
        description="Narrows the roles' permissions; empty means all of them.",
    )
    team: str | None = Field(default=None, max_length=100)
    active: bool = True

    @model_validator(mode="after")
    def _scopes_within_roles(self) -> ClientCreate:
        _check_scopes(self.roles, self.scopes)
        return self


class ClientPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    scopes: list[Permission] | None = None
    active: bool | None = None


class ClientRecord(BaseModel):
    id: str = Field(alias="_id")
    name: str
    secret_hash: str
    roles: list[Role]
    scopes: list[Permission] = Field(default_factory=list)
    team: str | None = None
    active: bool = True
    version: int = 1
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(populate_by_name=True)

    def scope_claim(self) -> str:
        return " ".join(sorted(scope.value for scope in self.scopes))


class ClientOut(BaseModel):
    client_id: str
    name: str
    roles: list[Role]
    scopes: list[Permission]
    team: str | None
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: ClientRecord) -> ClientOut:
        return cls(client_id=record.id, **record.model_dump(exclude={"id", "secret_hash"}))


class ClientCreated(ClientOut):
    client_secret: str = Field(description="Shown once; store it now.")


def apply_patch(record: ClientRecord, patch: ClientPatch) -> dict[str, object]:
    changes = patch.model_dump(exclude_unset=True)
    _check_scopes(changes.get("roles", record.roles), changes.get("scopes", record.scopes))
    return changes
