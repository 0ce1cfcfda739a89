"""List endpoints: bounded pages with a total, and sorting over an allow-list of fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from crm_chassis.errors import FieldError, InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class PageParams(BaseModel):
    offset: int = 0
    limit: int = 50


async def page_params(
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")] = 50,
) -> PageParams:
    return PageParams(offset=offset, limit=limit)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count of matching items."""

    items: list[T]
    total: int
    offset: int
    limit: int


SortSpec = list[tuple[str, int]]


def parse_sort(value: str | None, allowed: Sequence[str], default: str) -> SortSpec:
    """Parse ``sort=-created_at,name`` into a MongoDB sort, refusing unknown fields."""
    spec: SortSpec = []
    for part in (value or default).split(","):
        name = part.strip()
        if not name:
            continue
        direction = -1 if name.startswith("-") else 1
        field = name.lstrip("+-")
        if field not in allowed:
            raise InvalidInput(
                f"Cannot sort by {field!r}.",
                errors=[
                    FieldError(
                        field="query.sort", reason=f"must be one of {', '.join(sorted(allowed))}"
                    )
                ],
            )
        spec.append((field, direction))
    if not any(field == "_id" for field, _ in spec):
        spec.append(("_id", 1))  # a stable order across pages
    return spec
