"""Request and response bodies of the ticket routes (never the stored document)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crm_chassis.inputs import InputModel
from support.domain.lifecycle import TicketStatus
from support.domain.sla import Priority, SlaClock, TicketSla, Tier
from support.domain.tickets import (
    AuthorKind,
    Channel,
    StatusChange,
    Ticket,
    TicketMessage,
    TicketType,
    Visibility,
)

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]


class TicketCreate(InputModel):
    subject: Subject
    description: Body
    type: TicketType | None = Field(
        default=None, description="Classified from the text when absent"
    )
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.API
    product: ShortText | None = None
    customer_id: ShortText | None = None
    requester_name: ShortText | None = None
    requester_email: Email | None = None


class TicketPatch(InputModel):
    subject: Subject | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    product: ShortText | None = None


class TicketCustomerIn(BaseModel):
    """The customer a ticket without one is from, as the agent who checked decides."""

    model_config = ConfigDict(extra="forbid")

    customer_id: ShortText


class TransitionIn(InputModel):
    to: TicketStatus
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class AssignmentIn(InputModel):
    """Name an agent and/or a team, or neither to let the routing rules decide."""

    assignee_id: ShortText | None = None
    team: ShortText | None = None


class EscalationIn(InputModel):
    reason: Annotated[str, StringConstraints(max_length=2000)] | None = None


class MessageIn(InputModel):
    body: Body
    visibility: Visibility = Visibility.PUBLIC
    attachment_ids: list[ShortText] = Field(default=[], max_length=20)


class SlaClockOut(BaseModel):
    target_seconds: int
    elapsed_seconds: float
    running: bool
    due_at: datetime | None
    warn_at: datetime | None
    stopped_at: datetime | None
    warned: bool
    breached: bool

    @classmethod
    def of(cls, clock: SlaClock) -> SlaClockOut:
        return cls(
            target_seconds=clock.target_seconds,
            elapsed_seconds=clock.elapsed_seconds,
            running=clock.is_running,
            due_at=clock.due_at,
            warn_at=clock.warn_at,
            stopped_at=clock.stopped_at,
            warned=clock.warned,
            breached=clock.breached,
        )


class SlaOut(BaseModel):
    policy_id: str
    policy_name: str
    first_response: SlaClockOut
    resolution: SlaClockOut

    @classmethod
    def of(cls, sla: TicketSla) -> SlaOut:
        return cls(
            policy_id=sla.policy_id,
            policy_name=sla.policy_name,
            first_response=SlaClockOut.of(sla.first_response),
            resolution=SlaClockOut.of(sla.resolution),
        )


class MessageOut(BaseModel):
    id: str
    author_kind: AuthorKind
    author_id: str | None
    body: str
    visibility: Visibility
    attachment_ids: list[str]
    created_at: datetime

    @classmethod
    def of(cls, message: TicketMessage) -> MessageOut:
        return cls.model_validate(message.model_dump())


class TransitionOut(BaseModel):
    from_status: TicketStatus | None
    to_status: TicketStatus
    actor_id: str | None
    at: datetime
    note: str | None

    @classmethod
    def of(cls, change: StatusChange) -> TransitionOut:
        return cls.model_validate(change.model_dump())


class TicketSummaryOut(BaseModel):
    id: str
    reference: str
    subject: str
    type: TicketType
    priority: Priority
    channel: Channel
    product: str | None
    customer_id: str | None
    customer_tier: Tier
    requester_name: str | None
    requester_email: str | None
    status: TicketStatus
    assignee_id: str | None
    team: str | None
    escalation_level: int
    sla: SlaOut
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    version: int

    @classmethod
    def of(cls, ticket: Ticket) -> TicketSummaryOut:
        return cls.model_validate(_summary_fields(ticket))


class TicketOut(TicketSummaryOut):
    description: str
    messages: list[MessageOut]
    history: list[TransitionOut]

    @classmethod
    def of(cls, ticket: Ticket) -> TicketOut:
        return cls.model_validate(
            {
                **_summary_fields(ticket),
                "description": ticket.description,
                "messages": [MessageOut.of(m) for m in ticket.messages],
                "history": [TransitionOut.of(h) for h in ticket.history],
            }
        )


def _summary_fields(ticket: Ticket) -> dict[str, object]:
    return {
        "id": ticket.id,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "type": ticket.type,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "product": ticket.product,
        "customer_id": ticket.customer_id,
        "customer_tier": ticket.customer_tier,
        "requester_name": ticket.requester.name,
        "requester_email": ticket.requester.email,
        "status": ticket.status,
        "assignee_id": ticket.assignee_id,
        "team": ticket.team,
        "escalation_level": ticket.escalation_level,
        "sla": SlaOut.of(ticket.sla),
        "opened_at": ticket.opened_at,
        "first_response_at": ticket.first_response_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "reopen_count": ticket.reopen_count,
        "version": ticket.version,
    }
