"""Events published by the gateway, which owns the user directory (who signs in)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/gateway"


@event_type("crm.gateway.user.changed.v1", source=SOURCE)
class UserChanged(EventData):
    """A person's directory entry after a change (a snapshot, not a diff).

    Published when a user is created, when their roles, team, display name or e-mail
    change, and when they are deactivated or reactivated. Consumers keep the newest copy
    by ``version`` (it increases with every stored change of the account).
    """

    user_id: str
    email: str
    display_name: str = Field(description="the name to show; may be empty")
    roles: list[str] = Field(description="role names as in crm_contracts.access.Role")
    team: str | None = Field(default=None, description="the sales or support team, if any")
    active: bool = Field(description="false once the account is deactivated")
    version: int = Field(description="the account's version; newer events carry a higher one")
    changed_at: datetime
