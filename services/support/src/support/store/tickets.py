"""Tickets: state and pending events written together, conditioned on the version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.events import add_outbox, with_outbox
from crm_chassis.mongo import Document, duplicate_key_fields
from crm_chassis.pagination import PageParams, SortSpec
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.registry import EventData, to_cloud_event
from support.domain.kpis import TicketFacts
from support.domain.lifecycle import OPEN_STATUSES
from support.domain.sla import SlaClockName
from support.domain.tickets import Ticket, is_first_contact_resolution
from support.store import TICKETS
from support.store.documents import find_page, from_document, to_document


def cloud_events(aggregate_id: str, events: Sequence[EventData]) -> list[CloudEvent]:
    return [to_cloud_event(event, subject=aggregate_id) for event in events]


_OPEN = [status.value for status in OPEN_STATUSES]
# For reads that need a ticket's state but not its (possibly long) conversation.
_WITHOUT_CONVERSATION = {"messages": False, "history": False, "_outbox": False}


class DuplicateTicket(Exception):
    """The insert collides on a unique field: ``reference`` or ``origin_mail_id``."""

    def __init__(self, field: str) -> None:
        super().__init__(f"a ticket with this {field} exists")
        self.field = field


class TicketStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._tickets = db[TICKETS]

    async def insert(self, ticket: Ticket, events: Sequence[EventData]) -> None:
        document = with_outbox(to_document(ticket), cloud_events(ticket.id, events))
        origin = ticket.messages[0].email_message_id if ticket.messages else None
        if origin:
            document["origin_mail_id"] = origin
        try:
            await self._tickets.insert_one(document)
        except DuplicateKeyError as error:
            taken = duplicate_key_fields(error)
            raise DuplicateTicket(
                "origin_mail_id" if "origin_mail_id" in taken else "reference"
            ) from None

    async def by_origin_mail(self, message_id: str) -> Ticket | None:
        document = await self._tickets.find_one({"origin_mail_id": message_id})
        return from_document(Ticket, document) if document else None

    async def save(
        self, ticket: Ticket, expected_version: int, events: Sequence[EventData]
    ) -> bool:
        """Write the new state if nobody changed the ticket since ``expected_version``."""
        state = to_document(ticket)
        del state["_id"]
        update = add_outbox({"$set": state}, cloud_events(ticket.id, events))
        result = await self._tickets.update_one(
            {"_id": ticket.id, "version": expected_version}, update
        )
        return result.modified_count == 1

    async def get(self, ticket_id: str) -> Ticket | None:
        document = await self._tickets.find_one({"_id": ticket_id})
        return from_document(Ticket, document) if document else None

    async def find_by_thread(
        self, message_ids: Sequence[str], reference: str | None
    ) -> Ticket | None:
        """The ticket a mail answers: by Message-IDs it has seen, else by its reference."""
        if message_ids:
            document = await self._tickets.find_one(
                {"email_thread_ids": {"$in": list(message_ids)}}, sort=[("opened_at", -1)]
            )
            if document:
                return from_document(Ticket, document)
        if reference:
            document = await self._tickets.find_one({"reference": reference})
            if document:
                return from_document(Ticket, document)
        return None

    async def page(
        self, query: dict[str, Any], sort: SortSpec, page: PageParams
    ) -> tuple[list[Ticket], int]:
        return await find_page(self._tickets, Ticket, query, sort, page)

    async def recent_for_customer(
        self, customer_id: str, *, exclude: str, limit: int
    ) -> list[Ticket]:
        cursor = self._tickets.find(
            {"customer_id": customer_id, "_id": {"$ne": exclude}},
            sort=[("opened_at", -1)],
            limit=limit,
        )
        return [from_document(Ticket, d) async for d in cursor]

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
        return [from_document(Ticket, d) async for d in cursor]

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
                cloud_events(ticket_id, events),
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
            ticket = from_document(Ticket, document)
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
        cursor = self._tickets.find({"customer_id": customer_id, "status": {"$in": _OPEN}})
        return [from_document(Ticket, d) async for d in cursor]
