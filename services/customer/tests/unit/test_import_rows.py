"""Validating imported rows (C-8) and custom fields (C-1)."""

from __future__ import annotations

from customer.domain.custom_fields import CustomFieldDefinition, CustomFieldType
from customer.domain.importing import BatchCheck, check_rows, unknown_columns
from customer.domain.profile import MailLanguage

LEVEL = CustomFieldDefinition(
    key="level", label="Level", type=CustomFieldType.CHOICE, choices=["gold", "silver"],
    required=True,
)  # fmt: skip


def _row(**values: str) -> dict[str, str]:
    row = {"name": "A", "email": "", "phone": "", "tags": "", "custom.level": "gold"}
    row.update(values)
    return row


def test_each_problem_is_reported_with_row_and_column() -> None:
    check = BatchCheck()
    rows = [
        (2, _row(name="", email="a@example.org")),
        (3, _row(phone="123")),
        (4, _row(**{"custom.level": "bronze"})),
    ]
    valid = check_rows(check, rows, {"level": LEVEL}, error_limit=10)
    assert valid == []
    assert {(e.row, e.field) for e in check.errors} == {
        (2, "name"), (3, "phone"), (4, "custom.level"),
    }  # fmt: skip


def test_duplicates_inside_the_file_name_the_first_row() -> None:
    check = BatchCheck()
    rows = [(2, _row(email="a@example.org")), (3, _row(email="A@example.org"))]
    valid = check_rows(check, rows, {"level": LEVEL}, error_limit=10)
    assert len(valid) == 1
    assert check.errors[0].reason == "same email as row 2"


def test_tags_split_on_separators_and_custom_values_are_coerced() -> None:
    check = BatchCheck()
    valid = check_rows(check, [(2, _row(tags="Loyal; new"))], {"level": LEVEL}, error_limit=10)
    profile = valid[0][1]
    assert profile.tags == ["loyal", "new"]
    assert profile.custom_fields == {"level": "gold"}


def test_error_report_is_capped_but_counted() -> None:
    check = BatchCheck()
    rows = [(n, _row(name="")) for n in range(2, 12)]
    check_rows(check, rows, {"level": LEVEL}, error_limit=3)
    assert len(check.errors) == 3
    assert check.error_count == 10


def test_unknown_columns_are_named() -> None:
    assert unknown_columns(["name", "custom.x", "password"]) == ["password"]


def test_a_language_column_sets_the_mail_language_and_refuses_other_values() -> None:
    check = BatchCheck()
    rows = [(2, _row(language="en")), (3, _row(language="")), (4, _row(language="English"))]
    valid = check_rows(check, rows, {"level": LEVEL}, error_limit=10)
    assert [(number, profile.language) for number, profile in valid] == [
        (2, MailLanguage.EN),
        (3, None),
    ]
    [error] = check.errors
    assert (error.row, error.field) == (4, "language")
    assert unknown_columns(["name", "language"]) == []
