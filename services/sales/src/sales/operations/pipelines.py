"""Pipeline use cases: the default pipeline every sales database starts with."""

from __future__ import annotations

import contextlib

from pymongo.errors import DuplicateKeyError

from sales.components import Components
from sales.domain.pipelines import default_pipeline


async def seed_default_pipeline(parts: Components) -> None:
    """Create the default pipeline once (every replica may try; one insert wins)."""
    with contextlib.suppress(DuplicateKeyError):
        await parts.pipelines.insert(default_pipeline())
