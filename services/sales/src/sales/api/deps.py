"""Dependency aliases shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from crm_chassis.service import RuntimeDep
from sales.settings import Settings
from sales.store import SalesStore, store_of


async def get_store(runtime: RuntimeDep) -> SalesStore:
    return store_of(runtime)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[SalesStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
