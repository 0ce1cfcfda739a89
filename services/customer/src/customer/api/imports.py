"""``/api/v1/customer-imports``: bulk import from .csv or .xlsx with progress (C-8)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from crm_chassis.errors import FieldError, InvalidInput, NotFound, PayloadTooLarge
from customer.api.deps import ComponentsDep, ImportCustomers
from customer.operations import imports
from customer.operations.tabular import SheetFormat, UnreadableFile
from customer.operations.xlsx_limits import UnpacksTooLarge

router = APIRouter(prefix="/api/v1/customer-imports", tags=["import and export"])


class RowErrorOut(BaseModel):
    row: int
    field: str
    reason: str


class ImportOut(BaseModel):
    id: str
    state: str
    filename: str
    format: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None
    rows_read: int
    rows_written: int
    error_count: int
    errors: list[RowErrorOut]
    reason: str | None = None
    validation_seconds: float | None = None
    writing_seconds: float | None = None
    seconds: float | None = None
    rows_per_second: int | None = None


def _format_of(filename: str) -> SheetFormat:
    suffix = Path(filename).suffix.lower().lstrip(".")
    try:
        return SheetFormat(suffix)
    except ValueError:
        raise InvalidInput(
            "Upload a .csv or .xlsx file.",
            errors=[FieldError(field="body.file", reason="must end in .csv or .xlsx")],
        ) from None


def _spool(upload: UploadFile, suffix: str) -> Path:
    with tempfile.NamedTemporaryFile(suffix=f".{suffix}", delete=False) as target:
        shutil.copyfileobj(upload.file, target, length=1024 * 1024)
        return Path(target.name)


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=ImportOut)
async def start_import(
    file: Annotated[UploadFile, File(description="A .csv (UTF-8) or .xlsx file, header first")],
    parts: ComponentsDep,
    principal: ImportCustomers,
    response: Response,
) -> ImportOut:
    """Every row is validated first; any problem rejects the whole file with a per-row
    report and nothing is written. Poll the ``Location`` for progress and the outcome.
    An .xlsx reaching past the row or column limit or unreadable is refused at once
    (422); one that unpacks to more than the import may hold gets 413."""
    sheet_format = _format_of(file.filename or "")
    path = await run_in_threadpool(_spool, file, sheet_format.value)
    try:
        job = await imports.start_import(
            parts, path, sheet_format, filename=file.filename or "", actor=principal.subject
        )
    except UnpacksTooLarge as error:
        raise PayloadTooLarge(
            "The file unpacks to more than an import may hold.",
            errors=[FieldError(field="body.file", reason=str(error))],
        ) from None
    except UnreadableFile as error:
        raise InvalidInput(
            f"The file cannot be imported: {error}.",
            errors=[FieldError(field="body.file", reason=str(error))],
        ) from None
    response.headers["Location"] = f"/api/v1/customer-imports/{job['_id']}"
    return ImportOut(id=job.pop("_id"), **job)


@router.get("/{import_id}", response_model=ImportOut)
async def get_import(
    import_id: str,
    parts: ComponentsDep,
    principal: ImportCustomers,
) -> ImportOut:
    job = await parts.imports.get(import_id)
    if job is None:
        raise NotFound(f"No import {import_id}.")
    return ImportOut(id=job.pop("_id"), **job)
