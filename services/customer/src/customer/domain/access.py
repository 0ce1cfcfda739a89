"""Record-level visibility: which customers a caller may see, on top of permissions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from crm_contracts.access import Role

_SEE_ALL = frozenset(
    {Role.ADMIN, Role.ANALYST, Role.INTEGRATION, Role.MARKETER, Role.SUPPORT_AGENT}
)


@dataclass(frozen=True)
class Visibility:
    """``None`` fields mean "no restriction"; with both set, either one grants access."""

    owner_id: str | None = None
    team: str | None = None

    @property
    def unrestricted(self) -> bool:
        return self.owner_id is None and self.team is None

    def allows(self, owner_id: str | None, team: str | None) -> bool:
        if self.unrestricted:
            return True
        return (self.owner_id is not None and owner_id == self.owner_id) or (
            self.team is not None and team == self.team
        )


def visibility_for(roles: Collection[Role], subject: str, team: str | None) -> Visibility:
    """Admin, analysts, integrations, marketing and support see every customer; a sales
    manager sees their team's (and their own); a sales rep only the ones they own."""
    if roles and _SEE_ALL & set(roles):
        return Visibility()
    if Role.SALES_MANAGER in roles:
        return Visibility(owner_id=subject, team=team)
    return Visibility(owner_id=subject)
