"""Charts, CSV/XLSX exports and who may see which figures."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from crm_contracts.access import Role

from ..factories import (
    T0,
    campaign_metrics,
    customer_created,
    new_id,
    opportunity_created,
    opportunity_won,
)
from .conftest import Service

pytestmark = pytest.mark.integration

HOSTILE = '=HYPERLINK("http://evil.example","click")'


async def seeded(service: Service) -> None:
    await service.publish(
        campaign_metrics(new_id("m"), name=HOSTILE),
        opportunity_created("o-north", team="north", owner="rep-n"),
        opportunity_created("o-south", team="south", owner="rep-s", amount="5000.00"),
        opportunity_won("o-south", at=T0 + timedelta(days=2), team="south", owner="rep-s",
                        amount="5000.00"),
    )  # fmt: skip
    await service.settled(archived=4)


async def test_exports_neutralise_formulas_in_csv_and_xlsx(service: Service) -> None:
    await seeded(service)
    path = "/api/v1/reports/campaigns/export"
    csv = await service.client.get(path, params={"format": "csv"}, headers=service.analyst)
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "'=HYPERLINK" in csv.content.decode("utf-8-sig")
    xlsx = await service.client.get(path, params={"format": "xlsx"}, headers=service.analyst)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet["B2"].value == "'" + HOSTILE


async def test_reports_and_the_dashboard_render_as_png_and_svg(service: Service) -> None:
    await seeded(service)
    png = await service.client.get("/api/v1/reports/funnel/chart", headers=service.analyst)
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = await service.client.get(
        "/api/v1/dashboards/main/chart", params={"format": "svg", "period": "2026-11"},
        headers=service.analyst,
    )  # fmt: skip
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content[:500]


async def test_a_sales_manager_sees_only_their_teams_figures(service: Service) -> None:
    await seeded(service)
    manager = service.auth(Role.SALES_MANAGER, subject="m1", team="north")
    path = "/api/v1/reports/performance"
    mine = await service.client.get(path, params={"group_by": "team"}, headers=manager)
    assert [row["group"] for row in mine.json()["rows"]] == ["north"]
    theirs = await service.client.get(path, params={"team": "south"}, headers=manager)
    assert theirs.status_code == 403
    board = (await service.client.get("/api/v1/dashboards/main", params={"period": "2026-11"},
                                      headers=manager)).json()  # fmt: skip
    assert board["won"] == 0
    everything = await service.get(path, group_by="team")
    assert [row["group"] for row in everything["rows"]] == ["north", "south"]


async def test_a_sales_manager_sees_the_value_of_their_teams_customers_only(
    service: Service,
) -> None:
    ours, theirs, own = new_id("c"), new_id("c"), new_id("c")
    await service.publish(
        customer_created(ours, owner_id="rep-n", team="north"),
        customer_created(theirs, owner_id="rep-s", team="south"),
        customer_created(own, owner_id="m1", team=None),
    )
    await service.settled(archived=3)
    manager = service.auth(Role.SALES_MANAGER, subject="m1", team="north")
    path = "/api/v1/reports/customer-value"

    def status(customer_id: str) -> Any:
        return service.client.get(f"{path}/{customer_id}", headers=manager)

    assert [(await status(c)).status_code for c in (ours, theirs, own)] == [200, 404, 200]
    listed = await service.client.get(path, params={"limit": 200}, headers=manager)
    ids = {item["customer_id"] for item in listed.json()["items"]}
    assert {ours, own} <= ids
    assert theirs not in ids
    assert listed.json()["total"] == len(ids)
    everything = await service.get(path, limit=200)
    assert {ours, theirs, own} <= {item["customer_id"] for item in everything["items"]}


async def test_invalid_filters_are_refused_with_the_field_path(service: Service) -> None:
    response = await service.client.get(
        "/api/v1/reports/funnel", params={"period_from": "2026-13"}, headers=service.analyst
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.period_from"
    backwards = await service.client.get(
        "/api/v1/reports/funnel",
        params={"period_from": "2026-11", "period_to": "2026-10"},
        headers=service.analyst,
    )
    assert backwards.status_code == 422
