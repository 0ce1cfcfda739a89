"""What every fact shares: ordering markers and the storage model base.

A fact is the analytics copy of one aggregate of another service (an opportunity,
a ticket, ...), folded from that aggregate's events. Folds are idempotent and
order-tolerant: each piece of state remembers the ``Marker`` (event time, then
event id) of the event it came from and is only replaced by a newer one, and
collections of contributions are keyed by their own ids. So any delivery order,
with any duplicates, folds to the same fact, which is what lets a rebuild from the
archive reproduce the live read models exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict

from crm_chassis.clock import stored_time  # a fact folded in memory equals it read back


class Marker(BaseModel):
    """Where a piece of state came from: compared by time, then event id."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    event_id: str

    def key(self) -> tuple[datetime, str]:
        return (self.at, self.event_id)


def marker(at: datetime, event_id: str) -> Marker:
    return Marker(at=stored_time(at), event_id=event_id)


def is_newer(candidate: Marker, current: Marker | None) -> bool:
    return current is None or candidate.key() > current.key()


class Fact(BaseModel):
    """Base of the stored facts; ``id`` is the aggregate's id in its own service."""

    model_config = ConfigDict(frozen=True)

    id: str
    # The stored revision, counted by the store's compare-and-set; folds keep it.
    version: int = 1

    def to_document(self) -> dict[str, object]:
        document: dict[str, object] = self.model_dump()
        document["_id"] = document.pop("id")
        return document

    @classmethod
    def from_document(cls, document: dict[str, object]) -> Self:
        fields = dict(document)
        fields["id"] = fields.pop("_id")
        return cls.model_validate(fields)
