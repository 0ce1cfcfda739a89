"""Dependencies shared by the marketing routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header

from crm_chassis import clock
from crm_chassis.service import RuntimeDep
from marketing.components import Components, components

IfMatch = Annotated[str | None, Header(alias="If-Match")]


def utc_now() -> datetime:
    """Now, to the millisecond, as a record stamped with it reads back."""
    return clock.utc_now()


async def _parts(runtime: RuntimeDep) -> Components:
    return components(runtime)


PartsDep = Annotated[Components, Depends(_parts)]
