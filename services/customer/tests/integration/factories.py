"""Test data for the customer service's tests."""

from __future__ import annotations

import itertools
from typing import Any

_sequence = itertools.count(1)


def customer_body(**overrides: Any) -> dict[str, Any]:
    """A valid create body with a unique phone and email."""
    n = next(_sequence)
    body: dict[str, Any] = {
        "name": f"Customer {n}",
        "email": f"customer{n}@example.com",
        "phone": f"139{n:08d}",
        "company": "Acme Trading",
        "industry": "retail",
        "region": "Beijing",
        "tags": ["loyal"],
    }
    body.update(overrides)
    return body


IMPORT_COLUMNS = ["name", "email", "phone", "company", "region", "tags"]


def import_rows(count: int, *, prefix: str = "imp") -> list[list[str]]:
    """``count`` valid rows with unique emails and phones (mainland mobiles)."""
    return [
        [
            f"Imported {prefix} {n}",
            f"{prefix}.{n}@example.org",
            f"137{n:08d}",
            f"Company {n % 50}",
            "Shanghai" if n % 2 else "Beijing",
            "new;import",
        ]
        for n in range(count)
    ]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()
