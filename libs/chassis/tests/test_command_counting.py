"""Counting a request's database commands (``crm_chassis.command_counting``): a response
names what its own request sent, not what the process did meanwhile."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, FastAPI

from crm_chassis.command_counting import commands_of, count_database_commands
from crm_chassis.service import RuntimeDep, ServiceDefinition, create_service_app
from crm_chassis.settings import ServiceSettings
from crm_chassis.testing import RunningService, ServiceRunner


def reading_app(settings: ServiceSettings) -> FastAPI:
    router = APIRouter()

    @router.get("/reads")
    async def reads(runtime: RuntimeDep) -> int:
        await runtime.db["things"].find_one({})
        return await runtime.db["others"].count_documents({})

    return create_service_app(ServiceDefinition(title="counted", routers=[router]), settings)


async def test_a_response_names_its_own_requests_commands_and_not_the_background_work(
    service_runner: ServiceRunner,
) -> None:
    app = reading_app(service_runner.settings(ServiceSettings, "counted"))
    count_database_commands(app)
    async with service_runner.serve(RunningService[ServiceSettings], app) as service:
        polled = 0

        async def poll() -> None:  # as an outbox relay does, outside any request
            nonlocal polled
            while True:
                await service.runtime.db["things"].find_one({"polled": True})
                polled += 1

        poller = asyncio.create_task(poll())
        try:
            first = await service.client.get("/reads")
            second = await service.client.get("/reads")
        finally:
            poller.cancel()
        assert polled > 0
    assert first.status_code == 200
    assert commands_of(first) == ["find:things", "aggregate:others"]
    assert commands_of(second) == ["find:things", "aggregate:others"]
