"""Ticket statuses and the transitions between them (T-2)."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


S = TicketStatus

# Closed is final: a customer writing about a closed ticket opens a new one.
TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.NEW: frozenset({S.ASSIGNED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.WAITING_ON_CUSTOMER, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.WAITING_ON_CUSTOMER, S.RESOLVED}),
    S.WAITING_ON_CUSTOMER: frozenset({S.IN_PROGRESS, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset(),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER, S.RESOLVED}),
}

OPEN_STATUSES = frozenset({S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER, S.REOPENED})


def can_transition(current: TicketStatus, target: TicketStatus) -> bool:
    return target in TRANSITIONS[current]
