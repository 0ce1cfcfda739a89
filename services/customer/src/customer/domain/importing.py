"""Validating imported rows (C-8): every row by the rules of a POST, plus uniqueness
within the file; each problem reported with its row number and column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from crm_contracts.events.customer import ImportFailed, ImportFinished
from customer.domain.custom_fields import CustomFieldDefinition, validate_custom_values
from customer.domain.profile import Profile

CUSTOM_PREFIX = "custom."
LIST_SEPARATORS = (";", ",", "|")
COLUMNS = frozenset(Profile.model_fields) - {"custom_fields"}


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    field: str
    reason: str


@dataclass
class BatchCheck:
    """What validating a file has found so far; carried from chunk to chunk."""

    profiles: list[tuple[int, Profile]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    emails: dict[str, int] = field(default_factory=dict)
    phones: dict[str, int] = field(default_factory=dict)

    def fail(self, error: RowError, limit: int) -> None:
        self.error_count += 1
        if len(self.errors) < limit:
            self.errors.append(error)


def unknown_columns(columns: list[str]) -> list[str]:
    return [name for name in columns if name not in COLUMNS and not name.startswith(CUSTOM_PREFIX)]


def _split_list(text: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        if separator in text:
            return [part for part in (p.strip() for p in text.split(separator)) if part]
    return [text] if text else []


def row_profile(
    row: Mapping[str, str], definitions: Mapping[str, CustomFieldDefinition]
) -> tuple[Profile | None, list[tuple[str, str]]]:
    """The profile of one row, or the (column, reason) pairs that stop it."""
    values: dict[str, object] = {}
    custom: dict[str, object] = {}
    for column, text in row.items():
        if column.startswith(CUSTOM_PREFIX):
            if text:
                custom[column.removeprefix(CUSTOM_PREFIX)] = text
        elif column == "tags":
            values["tags"] = _split_list(text)
        elif text:
            values[column] = text
    problems: list[tuple[str, str]] = []
    clean, custom_errors = validate_custom_values(dict(definitions), custom, complete=True)
    problems += [(CUSTOM_PREFIX + key, reason) for key, reason in custom_errors.items()]
    try:
        profile = Profile.model_validate({**values, "custom_fields": clean})
    except ValidationError as error:
        for detail in error.errors():
            column = ".".join(str(part) for part in detail["loc"]) or "row"
            problems.append((column, detail["msg"].removeprefix("Value error, ")))
        return None, problems
    return (None, problems) if problems else (profile, [])


def check_rows(
    check: BatchCheck,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    definitions: Mapping[str, CustomFieldDefinition],
    *,
    error_limit: int,
) -> list[tuple[int, Profile]]:
    """Validate a chunk; returns its valid profiles. Duplicates inside the file are errors."""
    valid: list[tuple[int, Profile]] = []
    for number, row in rows:
        profile, problems = row_profile(row, definitions)
        for column, reason in problems:
            check.fail(RowError(number, column, reason), error_limit)
        if profile is None:
            continue
        duplicate = False
        for value, seen, column in (
            (profile.email, check.emails, "email"),
            (profile.phone, check.phones, "phone"),
        ):
            if value is None:
                continue
            if value in seen:
                reason = f"same {column} as row {seen[value]}"
                check.fail(RowError(number, column, reason), error_limit)
                duplicate = True
            else:
                seen[value] = number
        if not duplicate:
            valid.append((number, profile))
    return valid


def finished(
    import_id: str, *, started_by: str | None, file_name: str | None, created: int, at: datetime
) -> ImportFinished:
    """An import that ran to its end. Imports are all or nothing: a file with a bad row
    fails whole (:func:`failed`), so a finished one created every row and rejected none."""
    return ImportFinished(
        import_id=import_id,
        started_by=started_by,
        file_name=file_name,
        total_rows=created,
        created=created,
        updated=0,
        rejected=0,
        finished_at=at,
    )


def failed(
    import_id: str, *, started_by: str | None, file_name: str | None, reason: str, at: datetime
) -> ImportFailed:
    """An import that stopped before its end; nothing of it was kept."""
    return ImportFailed(
        import_id=import_id,
        started_by=started_by,
        file_name=file_name,
        reason=reason,
        failed_at=at,
    )
