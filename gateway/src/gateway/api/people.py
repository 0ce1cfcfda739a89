"""``/api/v1/people``: who a person id is, for every signed-in person.

Records name their owner, assignee or author by user id; screens show a name. This
directory answers the little every colleague may know of another (name and team),
never the e-mail address, roles or anything else an administrator sees.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crm_chassis.auth import CurrentPrincipal
from crm_chassis.errors import Forbidden
from crm_chassis.pagination import Page, PageDep
from gateway.api.deps import GatewayDep
from gateway.domain.users import DirectoryEntry

router = APIRouter(prefix="/api/v1/people", tags=["people"])

MAX_IDS = 100


class PersonOut(BaseModel):
    id: str
    display_name: str
    team: str | None
    active: bool

    @classmethod
    def of(cls, entry: DirectoryEntry) -> PersonOut:
        return cls(id=entry.id, display_name=entry.name, team=entry.team, active=entry.active)


@router.get("")
async def list_people(
    gateway: GatewayDep,
    principal: CurrentPrincipal,
    page: PageDep,
    ids: Annotated[
        list[Annotated[str, Query(max_length=100)]] | None,
        Query(max_length=MAX_IDS, description="Only these user ids (repeat the parameter)"),
    ] = None,
    team: Annotated[str | None, Query(max_length=100)] = None,
    active: bool | None = None,
) -> Page[PersonOut]:
    """People by name: each one's id, display name (the e-mail's local part when
    none was given), team and whether the account is active."""
    if principal.kind != "user":
        raise Forbidden("The directory of people is for people signed in.")
    query: dict[str, Any] = {}
    if ids is not None:
        query["_id"] = {"$in": ids}
    if team is not None:
        query["team"] = team
    if active is not None:
        query["active"] = active
    entries, total = await gateway.users.directory(query, page.offset, page.limit)
    return Page(
        items=[PersonOut.of(entry) for entry in entries],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )
