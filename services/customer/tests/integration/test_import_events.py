"""The end of an import is told to whoever started it (issue #17): one
``crm.customer.import.finished.v1`` or ``.failed.v1`` per import, read from the broker,
with the counts or the reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from crm_chassis.testing import wait_until
from crm_contracts.access import Role
from crm_contracts.events import customer

from .conftest import Service
from .factories import IMPORT_COLUMNS, csv_bytes, import_rows

pytestmark = pytest.mark.integration


async def _import(
    service: Service, headers: dict[str, str], filename: str, content: bytes
) -> dict[str, Any]:
    response = await service.client.post(
        "/api/v1/customer-imports", files={"file": (filename, content)}, headers=headers
    )
    assert response.status_code == 202, response.text
    url = response.headers["location"]
    job: dict[str, Any] = {}

    async def ended() -> bool:
        nonlocal job
        job = (await service.client.get(url, headers=headers)).json()
        return job["state"] in {"completed", "failed"}

    await wait_until(ended, timeout=60, interval=0.1, what="import ended")
    return job


async def test_a_finished_import_tells_who_started_it_and_how_many_rows(
    service: Service,
) -> None:
    manager = service.auth(Role.SALES_MANAGER, subject="mgr-7", team="north")
    job = await _import(service, manager, "spring.csv", csv_bytes(IMPORT_COLUMNS, import_rows(3)))
    assert job["state"] == "completed", job

    [event] = await service.bus.wait_for(customer.ImportFinished.TYPE)
    assert event["subject"] == job["id"]
    data = event["data"]
    assert data == {
        "import_id": job["id"],
        "started_by": "mgr-7",
        "file_name": "spring.csv",
        "total_rows": 3,
        "created": 3,
        "updated": 0,
        "rejected": 0,
        "finished_at": data["finished_at"],
    }
    finished_at = datetime.fromisoformat(data["finished_at"])
    assert abs(finished_at - datetime.fromisoformat(job["finished_at"])) < timedelta(seconds=1)
    assert service.bus.of_type(customer.ImportFailed.TYPE) == []
    assert "_outbox" not in job


async def test_a_rejected_import_tells_who_started_it_why(service: Service) -> None:
    rows = import_rows(4)
    rows[2][2] = "12345"
    job = await _import(service, service.admin, "bad.csv", csv_bytes(IMPORT_COLUMNS, rows))
    assert job["state"] == "failed", job
    unreadable = await _import(service, service.admin, "cols.csv", b"name,password\nA,x\n")
    assert unreadable["state"] == "failed", unreadable

    events = await service.bus.wait_for(customer.ImportFailed.TYPE, count=2)
    by_import = {event["data"]["import_id"]: event["data"] for event in events}
    assert set(by_import) == {job["id"], unreadable["id"]}
    bad = by_import[job["id"]]
    assert (bad["started_by"], bad["file_name"]) == ("u-admin", "bad.csv")
    assert bad["reason"] == job["reason"] == "1 problem(s) found; nothing was imported"
    assert "password" in by_import[unreadable["id"]]["reason"]
    assert service.bus.of_type(customer.ImportFinished.TYPE) == []
