"""Tickets: state and pending events written together, conditioned on the version."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.events import add_outbox
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from crm_contracts.events.registry import EventData, to_cloud_event
from support.domain.kpis import TicketFacts
from support.domain.lifecycle import OPEN_STATUSES
from support.domain.sla import SlaClockName
from support.domain.tickets import Ticket, is_first_contact_resolution
from support.store import TICKETS

_OPEN = [status.value for status in OPEN_STATUSES]
# For reads that need a ticket's state but not its (possibly long) conversation.
_WITHOUT_CONVERSATION = {"messages": False, "history": False, "_outbox": False}


class TicketCodec(ModelCodec[Ticket]):
    """A ticket's fields, plus the Message-ID of the mail it was opened from
    (``origin_mail_id``: unique and sparse, so one mail opens one ticket)."""

    def __init__(self) -> None:
        super().__init__(Ticket, "id")

    def to_document(self, aggregate: Ticket) -> Document:
        document = super().to_document(aggregate)
        origin = aggregate.messages[0].email_message_id if aggregate.messages else None
        if origin:
            document["origin_mail_id"] = origin
        return document


class TicketStore(VersionedStore[Ticket]):
    """Tickets on the chassis store: state and pending events in one write, saved on
    the version read; a collision on ``reference`` or ``origin_mail_id`` is a
    ``DuplicateValue`` naming it."""

    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[TICKETS], TicketCodec(), notify=notify)
        self._tickets = self.collection

    async def require(self, aggregate_id: str, message: str = "") -> Ticket:
        return await super().require(aggregate_id, message or f"No ticket {aggregate_id}.")

    def _ticket(self, document: Mapping[str, Any]) -> Ticket:
        return self.codec.from_document(document)

    async def by_origin_mail(self, message_id: str) -> Ticket | None:
        document = await self._tickets.find_one({"origin_mail_id": message_id})
        return self._ticket(document) if document else None

    async def find_by_thread(
        self, message_ids: Sequence[str], reference: str | None
    ) -> Ticket | None:
        """The ticket a mail answers: by Message-IDs it has seen, else by its reference."""
        if message_ids:
            document = await self._tickets.find_one(
                {"email_thread_ids": {"$in": list(message_ids)}}, sort=[("opened_at", -1)]
            )
            if document:
                return self._ticket(document)
        if reference:
            document = await self._tickets.find_one({"reference": reference})
            if document:
                return self._ticket(document)
        return None

    async def recent_for_customer(
        self, customer_id: str, *, exclude: str, limit: int
    ) -> list[Ticket]:
        return await self.find(
            {"customer_id": customer_id, "_id": {"$ne": exclude}},
            sort=[("opened_at", -1)],
            limit=limit,
        )

    async def open_loads(self) -> dict[str, int]:
        """Open tickets per assigned agent."""
        pipeline: list[dict[str, Any]] = [
            {"$match": {"status": {"$in": _OPEN}, "assignee_id": {"$ne": None}}},
            {"$group": {"_id": "$assignee_id", "open": {"$sum": 1}}},
        ]
        cursor = await self._tickets.aggregate(pipeline)
        return {str(row["_id"]): int(row["open"]) async for row in cursor}

    async def due(
        self, clock: SlaClockName, *, warning: bool, now: datetime, limit: int
    ) -> list[Ticket]:
        """Tickets whose clock passed its warning or breach instant and was not flagged."""
        at, flag = ("warn_at", "warned") if warning else ("due_at", "breached")
        query = {f"sla.{clock.value}.{at}": {"$lte": now}, f"sla.{clock.value}.{flag}": False}
        cursor = self._tickets.find(
            query,
            projection=_WITHOUT_CONVERSATION,
            sort=[(f"sla.{clock.value}.{at}", 1)],
            limit=limit,
        )
        return [self._ticket(d) async for d in cursor]

    async def claim_sla_alert(
        self,
        ticket_id: str,
        clock: SlaClockName,
        *,
        warning: bool,
        now: datetime,
        events: Sequence[EventData],
    ) -> bool:
        """Flag the clock's warning or breach and store its event, if still unflagged.

        The condition and the flag are one single-document write, so with several
        replicas scanning at once exactly one of them wins (and emits the event).
        The version moves on, so a concurrent edit of the ticket retries instead of
        overwriting the flag.
        """
        at, flag = ("warn_at", "warned") if warning else ("due_at", "breached")
        result = await self._tickets.update_one(
            {
                "_id": ticket_id,
                f"sla.{clock.value}.{at}": {"$lte": now},
                f"sla.{clock.value}.{flag}": False,
            },
            add_outbox(
                {"$set": {f"sla.{clock.value}.{flag}": True}, "$inc": {"version": 1}},
                [to_cloud_event(event, subject=ticket_id) for event in events],
            ),
        )
        return result.modified_count == 1

    async def facts(self, *, opened_from: datetime, opened_to: datetime) -> list[TicketFacts]:
        """What the KPIs need of each ticket opened in the period (survey scores apart)."""
        cursor = self._tickets.find(
            {"opened_at": {"$gte": opened_from, "$lt": opened_to}},
            projection=_WITHOUT_CONVERSATION,
        )
        found = []
        async for document in cursor:
            ticket = self._ticket(document)
            found.append(
                TicketFacts(
                    ticket_id=ticket.id,
                    assignee_id=ticket.assignee_id,
                    team=ticket.team,
                    opened_at=ticket.opened_at,
                    first_response_at=ticket.first_response_at,
                    resolved_at=ticket.resolved_at,
                    is_open=ticket.is_open,
                    first_contact_resolution=is_first_contact_resolution(ticket),
                )
            )
        return found

    async def reassign_customer(self, merged_id: str, surviving_id: str) -> None:
        await self._tickets.update_many(
            {"customer_id": merged_id},
            {"$set": {"customer_id": surviving_id}, "$inc": {"version": 1}},
        )

    async def erase_customer(self, customer_id: str) -> None:
        """Right to erasure: drop the requester's identity and the conversation text."""
        await self._tickets.update_many(
            {"customer_id": customer_id},
            {
                "$set": {
                    "requester": {"name": None, "email": None},
                    "description": "[erased]",
                    "messages.$[].body": "[erased]",
                },
                "$inc": {"version": 1},
            },
        )

    async def ids_for_customer(self, customer_id: str) -> list[str]:
        cursor = self._tickets.find({"customer_id": customer_id}, projection={"_id": True})
        return [str(d["_id"]) async for d in cursor]

    async def open_for_customer(self, customer_id: str) -> list[Ticket]:
        return await self.find({"customer_id": customer_id, "status": {"$in": _OPEN}})
