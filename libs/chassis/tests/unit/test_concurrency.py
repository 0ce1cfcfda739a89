from __future__ import annotations

import pytest

from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import InvalidInput, PreconditionRequired


def test_etag_round_trips_to_the_version() -> None:
    assert expected_version(etag(7)) == 7
    assert expected_version('W/"7"') == 7


def test_star_matches_any_version() -> None:
    assert expected_version("*") is None


def test_missing_if_match_is_refused_when_required() -> None:
    with pytest.raises(PreconditionRequired):
        expected_version(None)
    assert expected_version(None, required=False) is None


def test_garbage_if_match_is_invalid() -> None:
    with pytest.raises(InvalidInput):
        expected_version('"seven"')
