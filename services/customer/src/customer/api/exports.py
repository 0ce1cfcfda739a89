"""``/api/v1/customer-exports``: any filtered list as CSV or XLSX (C-8)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from crm_chassis.clock import utc_now
from customer.api.customers import ListFiltersDep
from customer.api.deps import ComponentsDep, ExportCustomers, reveals_pii
from customer.api.schemas import CustomerOut
from customer.operations.tabular import SheetFormat, csv_stream, xlsx_file

router = APIRouter(prefix="/api/v1/customer-exports", tags=["import and export"])

COLUMNS = [
    "member_id", "name", "email", "phone", "company", "title", "industry", "company_size",
    "region", "address", "source_channel", "owner_id", "language", "tags", "tier",
    "total_consumption", "created_at",
]  # fmt: skip
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 200_000


def _row(customer: CustomerOut) -> list[Any]:
    values = customer.model_dump()
    values["tags"] = ";".join(customer.tags)
    values["total_consumption"] = customer.consumption.total_consumption
    return [values[column] for column in COLUMNS]


@router.get("", response_class=StreamingResponse)
async def export_customers(
    parts: ComponentsDep,
    principal: ExportCustomers,
    filters: ListFiltersDep,
    format: Annotated[SheetFormat, Query(description="csv or xlsx")] = SheetFormat.CSV,
) -> Any:
    """The customers the caller may see that match the filters. Personal numbers are
    masked unless the caller may read them or owns the customer; cells that a
    spreadsheet would run as a formula are prefixed with ``'``."""
    now = utc_now()
    where = filters.for_caller(principal, now)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    customers = parts.customers.iterate(where, limit=MAX_EXPORT_ROWS)

    async def rows() -> AsyncIterator[list[Any]]:
        async for customer in customers:
            reveal = reveals_pii(principal, customer.owner_id)
            yield _row(CustomerOut.of(customer, reveal_pii=reveal, now=now))

    if format == SheetFormat.CSV:
        return StreamingResponse(
            csv_stream(COLUMNS, rows()),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="customers-{stamp}.csv"'},
        )
    path = await xlsx_file(COLUMNS, rows())
    return FileResponse(
        path,
        media_type=XLSX_TYPE,
        filename=f"customers-{stamp}.xlsx",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
