"""A change to an event contract that would break a consumer fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_contracts.asyncapi import asyncapi_document
from crm_contracts.compatibility import breaking_changes, current_schemas, load_published

PUBLISHED = Path(__file__).resolve().parents[1] / "schemas"
CURRENT = current_schemas()


@pytest.mark.parametrize("event_type", sorted(load_published(PUBLISHED)))
def test_published_event_type_still_reads_the_same(event_type: str) -> None:
    published = load_published(PUBLISHED)[event_type]

    assert event_type in CURRENT, f"{event_type} was removed; publish a successor beside it"
    assert breaking_changes(published, CURRENT[event_type]) == []


def test_every_event_type_is_published() -> None:
    unpublished = sorted(set(CURRENT) - set(load_published(PUBLISHED)))

    assert unpublished == [], "run: uv run python -m crm_contracts publish-schemas"


def test_removing_a_field_is_breaking() -> None:
    old = {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}
    new = {"properties": {"a": {"type": "string"}}, "required": ["a"]}

    assert breaking_changes(old, new) == ["field 'b' removed"]


def test_retyping_a_field_is_breaking() -> None:
    old = {"properties": {"amount": {"type": "string", "format": "decimal"}}}
    new = {"properties": {"amount": {"type": "number"}}}

    assert breaking_changes(old, new) == ["field 'amount' changed type"]


def test_a_new_required_field_is_breaking_but_an_optional_one_is_not() -> None:
    old = {"properties": {"a": {"type": "string"}}, "required": ["a"]}
    optional = {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"]}
    required = {**optional, "required": ["a", "b"]}

    assert breaking_changes(old, optional) == []
    assert breaking_changes(old, required) == ["field 'b' became required"]


def test_asyncapi_document_names_every_event_type() -> None:
    document = asyncapi_document()

    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == set(CURRENT)
    assert document["asyncapi"] == "3.0.0"
