"""Automatic lead filtering (S-1) by region, industry or company size.

A lead that fails a filter is kept but disqualified with the filter's reason, so
nothing captured is lost and a person can still look at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class FilteredField(StrEnum):
    REGION = "region"
    INDUSTRY = "industry"
    COMPANY_SIZE = "company_size"


class FilterOperator(StrEnum):
    IN = "in"
    NOT_IN = "not_in"


class LeadFilter(BaseModel):
    """``region in [Beijing, Shanghai]`` keeps only those; ``industry not_in [...]`` drops."""

    model_config = ConfigDict(extra="forbid")

    field: FilteredField
    operator: FilterOperator
    values: list[str] = Field(min_length=1, max_length=500)
    reason: str = Field(default="", max_length=200)


def failed_filter(
    filters: Sequence[LeadFilter], facts: dict[FilteredField, str | None]
) -> LeadFilter | None:
    """The first filter the lead fails, if any. A missing value fails an ``in`` filter."""
    for rule in filters:
        value = facts.get(rule.field)
        folded = value.strip().casefold() if value else None
        listed = folded is not None and folded in {v.strip().casefold() for v in rule.values}
        if rule.operator is FilterOperator.IN and not listed:
            return rule
        if rule.operator is FilterOperator.NOT_IN and listed:
            return rule
    return None


def filter_reason(rule: LeadFilter) -> str:
    return rule.reason or f"{rule.field.value} {rule.operator.value} {', '.join(rule.values)}"
