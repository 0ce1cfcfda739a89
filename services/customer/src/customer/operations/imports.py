"""Bulk import of customers from .csv and .xlsx (C-8): validate everything, then write
all or nothing, in chunks, reporting progress on the import job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from pymongo.errors import PyMongoError

from crm_chassis.background import cancel_and_wait
from crm_chassis.clock import utc_now
from crm_chassis.mongo import Document
from customer.components import Components
from customer.domain import customer as rules
from customer.domain import importing
from customer.domain.importing import BatchCheck, RowError, check_rows, unknown_columns
from customer.domain.profile import Profile
from customer.operations.tabular import SheetFormat, UnreadableFile, read_rows
from customer.operations.xlsx_limits import SheetExtent, SheetLimits, inspect_xlsx
from customer.store.imports import FAILED

log = logging.getLogger(__name__)

QUEUED, VALIDATING, WRITING, DISCARDING = "queued", "validating", "writing", "discarding"


class ImportRejected(Exception):
    """The file as a whole cannot be imported; nothing has been written."""


def _numbered(rows: Iterator[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    return ((number, row) for number, row in enumerate(rows, start=2))


async def _chunks(
    items: Iterator[tuple[int, dict[str, str]]], size: int
) -> AsyncIterator[list[tuple[int, dict[str, str]]]]:
    """Chunks of rows, parsed in a worker thread so a big file does not block the loop."""
    while chunk := await asyncio.to_thread(lambda: list(islice(items, size))):
        yield chunk


async def start_import(
    parts: Components, path: Path, sheet_format: SheetFormat, *, filename: str, actor: str
) -> Document:
    """Record the job and run it in the background; the caller polls the job.

    An .xlsx that reaches past the import's rows or columns, or unpacks to more than it
    may, raises :class:`UnreadableFile` (a subclass says which) before any job exists."""
    extent = await _inspect(parts, path, sheet_format)
    job: Document = {
        "_id": uuid.uuid4().hex,
        "state": QUEUED,
        "filename": filename,
        "format": sheet_format.value,
        "created_by": actor,
        "created_at": utc_now(),
        "rows_read": 0,
        "rows_written": 0,
        "error_count": 0,
        "errors": [],
    }
    await parts.imports.create(job)
    task = asyncio.create_task(_run_and_clean_up(parts, job["_id"], path, sheet_format, extent))
    parts.background.add(task)
    task.add_done_callback(parts.background.discard)
    return job


async def _inspect(parts: Components, path: Path, sheet_format: SheetFormat) -> SheetExtent:
    if sheet_format != SheetFormat.XLSX:
        return SheetExtent(0, 0)
    settings = parts.settings
    limits = SheetLimits(
        rows=settings.import_max_rows + 1,
        columns=settings.import_max_columns,
        unpacked_bytes=settings.import_max_unpacked_bytes,
    )
    try:
        return await asyncio.to_thread(inspect_xlsx, path, limits)
    except UnreadableFile:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise


async def _run_and_clean_up(
    parts: Components, import_id: str, path: Path, sheet_format: SheetFormat, extent: SheetExtent
) -> None:
    try:
        await run_import(parts, import_id, path, sheet_format, extent)
    except Exception:
        log.exception("import %s failed unexpectedly", import_id)
        await _fail(parts, import_id, "the import failed unexpectedly; nothing was kept")
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


async def _fail(parts: Components, import_id: str, reason: str, **extra: Any) -> None:
    """Delete what was written, then record the failure (rows stay hidden until then),
    telling whoever started the import (``import.failed``) in the same write."""
    await parts.imports.update(import_id, {"state": DISCARDING})
    await parts.imports.discard(import_id)
    job = await parts.imports.get(import_id) or {}
    now = utc_now()
    event = importing.failed(
        import_id,
        started_by=job.get("created_by"),
        file_name=job.get("filename"),
        reason=reason,
        at=now,
    )
    await parts.imports.update(
        import_id, {"state": FAILED, "reason": reason, "finished_at": now, **extra}, [event]
    )
    parts.notify_outbox()


async def run_import(
    parts: Components,
    import_id: str,
    path: Path,
    sheet_format: SheetFormat,
    extent: SheetExtent,
) -> None:
    started = time.perf_counter()
    settings = parts.settings
    await parts.imports.update(import_id, {"state": VALIDATING})
    try:
        check = await _validate(parts, import_id, path, sheet_format, extent)
    except (UnreadableFile, ImportRejected) as error:
        await _fail(parts, import_id, str(error))
        return
    if check.error_count:
        await _fail(
            parts,
            import_id,
            f"{check.error_count} problem(s) found; nothing was imported",
            error_count=check.error_count,
            errors=[vars(error) for error in check.errors],
        )
        return
    validated = round(time.perf_counter() - started, 3)
    await parts.imports.update(import_id, {"state": WRITING, "validation_seconds": validated})
    member_ids = iter(await parts.customers.reserve_member_ids(len(check.profiles)))
    now = utc_now()
    written = 0
    try:
        for number, start in enumerate(range(0, len(check.profiles), settings.import_batch_rows)):
            batch = check.profiles[start : start + settings.import_batch_rows]
            created = []
            for _, profile in batch:
                customer, events = rules.create_customer(
                    profile, customer_id=uuid.uuid4().hex, member_id=next(member_ids), now=now
                )
                created.append((customer, events[0]))
            await parts.imports.insert_batch(import_id, number, created)
            written += len(created)
            await parts.imports.update(import_id, {"rows_written": written})
    except PyMongoError as error:
        log.warning("import %s could not be written: %s", import_id, error)
        reason = (
            "another write took an email or phone meanwhile"
            if "E11000" in str(error) or "duplicate key" in str(error)
            else "the database refused the write"
        )
        await _fail(parts, import_id, f"{reason}; nothing was kept")
        return
    elapsed = time.perf_counter() - started
    finished_at = utc_now()
    job = await parts.imports.get(import_id) or {}
    event = importing.finished(
        import_id,
        started_by=job.get("created_by"),
        file_name=job.get("filename"),
        created=written,
        at=finished_at,
    )
    await parts.imports.complete(
        import_id,
        {
            "finished_at": finished_at,
            "writing_seconds": round(elapsed - validated, 3),
            "seconds": round(elapsed, 3),
            "rows_per_second": round(written / elapsed) if elapsed else written,
        },
        [event],
    )
    parts.notify_outbox()


async def _validate(
    parts: Components, import_id: str, path: Path, sheet_format: SheetFormat, extent: SheetExtent
) -> BatchCheck:
    settings = parts.settings
    definitions = await parts.custom_fields.all()
    check = BatchCheck()
    limit = settings.import_max_reported_errors
    rows = read_rows(path, sheet_format, last_row=extent.rows, last_column=extent.columns)
    first = await asyncio.to_thread(next, rows, None)
    if first is None:
        raise ImportRejected("the file has no rows")
    unknown = unknown_columns(list(first))
    if unknown:
        raise ImportRejected(f"unknown column(s): {', '.join(unknown)}")
    if "name" not in first:
        raise ImportRejected("the file needs a 'name' column")
    read = 0
    numbered = _numbered(_prepend(first, rows))
    async for chunk in _chunks(numbered, settings.import_batch_rows):
        read += len(chunk)
        if read > settings.import_max_rows:
            raise ImportRejected(f"at most {settings.import_max_rows} rows per import")
        valid = check_rows(check, chunk, definitions, error_limit=limit)
        await _check_against_stored(parts, check, valid, limit)
        if not check.error_count:
            check.profiles.extend(valid)
        await parts.imports.update(import_id, {"rows_read": read})
    return check


def _prepend(first: dict[str, str], rows: Iterator[dict[str, str]]) -> Iterator[dict[str, str]]:
    yield first
    yield from rows


async def _check_against_stored(
    parts: Components, check: BatchCheck, valid: list[tuple[int, Profile]], limit: int
) -> None:
    """Emails and phones already held by stored customers are errors too."""
    emails = {profile.email: number for number, profile in valid if profile.email}
    taken_emails = await parts.imports.existing_values("email", list(emails))
    for email in taken_emails:
        check.fail(RowError(emails[email], "email", "already used by a customer"), limit)
    cipher = parts.cipher
    phones = {
        cipher.blind_index(profile.phone, field="phone"): number
        for number, profile in valid
        if profile.phone
    }
    taken_phones = await parts.imports.existing_values("phone_index", list(phones))
    for index in taken_phones:
        check.fail(RowError(phones[index], "phone", "already used by a customer"), limit)


async def recover_interrupted(parts: Components) -> None:
    """At start-up: imports cut off by a stop are deleted and marked failed, so nothing
    half-written ever shows."""
    for job in await parts.imports.unfinished():
        with contextlib.suppress(PyMongoError):
            await _fail(parts, job["_id"], "interrupted by a restart; nothing was kept")


async def stop_imports(parts: Components) -> None:
    """At shutdown: running imports stop; the next start fails or finishes them."""
    await asyncio.gather(*(cancel_and_wait(task) for task in list(parts.background)))
