"""Ticket use cases: intake with routing and SLA, and every later change.

Changes go through the chassis store's ``update``: read, change, save on the version
read; a lost race (another agent, the SLA scanner) is retried on fresh state, unless the
caller sent ``If-Match``, who then learns the ticket changed (412).
"""

from __future__ import annotations

from collections.abc import Callable

from crm_chassis.domain_errors import (
    DuplicateValue,
    RuleViolation,
    StateConflict,
    VersionConflict,
)
from support.components import Components
from support.domain.calendar import ALWAYS_OPEN, BusinessCalendar
from support.domain.lifecycle import TicketStatus
from support.domain.routing import (
    Agent,
    AssignmentStrategy,
    RoutingSubject,
    escalation_target,
    first_matching_rule,
    route,
)
from support.domain.sla import Priority, SlaPolicy, Tier, select_policy
from support.domain.tickets import (
    AuthorKind,
    Outcome,
    Ticket,
    TicketDetails,
    TicketDraft,
    TicketMessage,
    Visibility,
    add_agent_message,
    add_customer_message,
    assign,
    change_policy,
    change_status,
    edit_details,
    escalate,
    link_customer,
    open_ticket,
)
from support.operations.ids import new_id, new_ticket_reference
from support.operations.replies import reply_message_id

SAVE_ATTEMPTS = 5


async def sla_terms(
    support: Components, priority: Priority, tier: Tier
) -> tuple[SlaPolicy, BusinessCalendar]:
    """The policy for a priority and tier, and the business calendar it counts in."""
    policies = await support.policies.all({"priority": priority.value})
    policy = select_policy(policies, priority, tier)
    calendar: BusinessCalendar = ALWAYS_OPEN
    if policy.calendar_id:
        stored = await support.calendars.get(policy.calendar_id)
        if stored is not None:
            calendar = BusinessCalendar.model_validate(stored.record.model_dump())
    return policy, calendar


def routing_subject(ticket: Ticket) -> RoutingSubject:
    return RoutingSubject(
        type=ticket.type,
        priority=ticket.priority,
        channel=ticket.channel,
        tier=ticket.customer_tier,
        product=ticket.product,
        text=f"{ticket.subject}\n{ticket.description}",
    )


async def auto_route(support: Components, ticket: Ticket, actor_id: str | None) -> Outcome:
    """Assign by the routing table; unchanged (no events) when no rule matches.

    The agents and their open tickets are read only for a rule that balances load:
    counting every open ticket is the costliest read of an intake.
    """
    subject = routing_subject(ticket)
    rule = first_matching_rule(await support.rules.all(), subject)
    if rule is None:
        return ticket, []
    agents: list[Agent] = []
    loads: dict[str, int] = {}
    if rule.strategy is AssignmentStrategy.LEAST_LOADED:
        agents = await support.agents.all({"active": True})
        loads = await support.tickets.open_loads()
    decision = route([rule], agents, loads, subject)
    if decision.team is None and decision.agent_id is None:
        return ticket, []
    return assign(
        ticket,
        assignee_id=decision.agent_id,
        team=decision.team,
        actor_id=actor_id,
        now=support.now(),
        rule=decision.rule_id,
    )


async def open_new_ticket(
    support: Components, draft: TicketDraft, *, actor_id: str | None
) -> Ticket:
    """Take a ticket in from any channel: SLA by priority and tier, then routing."""
    tier = await support.customers.tier_of(draft.customer_id)
    policy, calendar = await sla_terms(support, draft.priority, tier)
    for _ in range(SAVE_ATTEMPTS):
        ticket, events = open_ticket(
            draft,
            ticket_id=new_id(),
            reference=new_ticket_reference(),
            tier=tier,
            policy=policy,
            calendar=calendar,
            actor_id=actor_id,
            now=support.now(),
        )
        ticket, routed = await auto_route(support, ticket, actor_id)
        try:
            await support.tickets.insert(ticket, [*events, *routed])
        except DuplicateValue as duplicate:
            if duplicate.field == "reference":
                continue  # a random reference collided: draw another
            raise
        return ticket
    raise StateConflict("Could not allocate a ticket reference; try again.")


async def update_ticket(
    support: Components,
    ticket_id: str,
    change: Callable[[Ticket], Outcome],
    *,
    expected_version: int | None = None,
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """Apply ``change`` to the current ticket and store it, retrying lost races; ``check``
    (may the caller change it?) and ``expected_version`` are asked of every read."""

    def guarded(ticket: Ticket) -> Outcome:
        if check is not None:
            check(ticket)
        if expected_version is not None and ticket.version != expected_version:
            raise VersionConflict(ticket_id)
        return change(ticket)

    return await support.tickets.update(ticket_id, guarded, attempts=SAVE_ATTEMPTS)


async def transition(
    support: Components,
    ticket_id: str,
    target: TicketStatus,
    *,
    actor_id: str | None,
    note: str | None,
    expected_version: int | None,
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    return await update_ticket(
        support,
        ticket_id,
        lambda t: change_status(t, target, actor_id=actor_id, now=support.now(), note=note),
        expected_version=expected_version,
        check=check,
    )


async def assign_ticket(
    support: Components,
    ticket_id: str,
    *,
    assignee_id: str | None,
    team: str | None,
    actor_id: str | None,
    expected_version: int | None,
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """Manual assignment, or routing by the rule table when neither agent nor team is named."""
    if assignee_id is None and team is None:
        ticket = await support.tickets.require(ticket_id)
        routed, events = await auto_route(support, ticket, actor_id)
        if not events:
            raise StateConflict("No routing rule matches this ticket; assign it by hand.")
        assignee_id, team = routed.assignee_id, routed.team
    elif assignee_id is not None and team is None:
        agent = await support.agents.get(assignee_id)
        team = agent.record.team if agent else None
    return await update_ticket(
        support,
        ticket_id,
        lambda t: assign(
            t, assignee_id=assignee_id, team=team, actor_id=actor_id, now=support.now()
        ),
        expected_version=expected_version,
        check=check,
    )


async def escalate_ticket(
    support: Components,
    ticket_id: str,
    *,
    reason: str | None,
    actor_id: str | None,
    expected_version: int | None,
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """To a higher-level agent of the team, else its manager."""
    ticket = await support.tickets.require(ticket_id)
    if ticket.team is None:
        raise StateConflict("Assign the ticket to a team before escalating it.")
    agents = await support.agents.all({"team": ticket.team})
    target = escalation_target(
        agents,
        await support.tickets.open_loads(),
        team=ticket.team,
        current_agent_id=ticket.assignee_id,
    )
    if target is None:
        raise StateConflict(f"Team {ticket.team} has nobody above the current assignee.")
    return await update_ticket(
        support,
        ticket_id,
        lambda t: escalate(
            t,
            to_assignee_id=target.id,
            team=t.team,
            actor_id=actor_id,
            reason=reason,
            now=support.now(),
        ),
        expected_version=expected_version,
        check=check,
    )


async def add_agent_reply(
    support: Components,
    ticket_id: str,
    *,
    agent_id: str,
    body: str,
    visibility: Visibility,
    attachment_ids: list[str],
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """An agent's public reply (mailed to the requester) or internal note, referring only
    to attachments already uploaded to the ticket."""
    known = {a.id for a in await support.attachments.list_for(ticket_id)}
    unknown = [a for a in attachment_ids if a not in known]
    if unknown:
        raise RuleViolation(
            "Upload attachments to this ticket before referring to them "
            f"(unknown: {', '.join(unknown)}).",
            field="attachment_ids",
        )
    message_id = new_id()
    public = visibility is Visibility.PUBLIC
    message = TicketMessage(
        id=message_id,
        author_kind=AuthorKind.AGENT,
        author_id=agent_id,
        body=body,
        visibility=visibility,
        # The Message-ID of the mail copy, known now so the customer's answer threads.
        email_message_id=reply_message_id(support.settings, message_id) if public else None,
        attachment_ids=attachment_ids,
        created_at=support.now(),
    )
    return await update_ticket(
        support, ticket_id, lambda t: add_agent_message(t, message, now=support.now()), check=check
    )


async def add_customer_reply(support: Components, ticket_id: str, message: TicketMessage) -> Ticket:
    return await update_ticket(
        support, ticket_id, lambda t: add_customer_message(t, message, now=support.now())
    )


async def edit_ticket(
    support: Components,
    ticket_id: str,
    details: TicketDetails,
    *,
    expected_version: int | None,
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """Change what the ticket is about; a new priority brings its SLA targets."""
    ticket = await support.tickets.require(ticket_id)
    priority = details.priority or ticket.priority
    policy, calendar = await sla_terms(support, priority, ticket.customer_tier)

    def change(current: Ticket) -> Outcome:
        updated = edit_details(current, details)
        if updated.priority is not current.priority:
            updated = change_policy(
                updated,
                priority=updated.priority,
                tier=current.customer_tier,
                policy=policy,
                calendar=calendar,
                now=support.now(),
            )
        return updated, []

    return await update_ticket(
        support, ticket_id, change, expected_version=expected_version, check=check
    )


async def link_ticket_customer(
    support: Components,
    ticket_id: str,
    customer_id: str,
    *,
    expected_version: int | None,
    check: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """An agent's decision that a ticket without a customer is this customer's."""
    customer = await support.customers.get(customer_id)
    if customer is None:
        raise RuleViolation(f"No customer {customer_id}.", field="customer_id")
    ticket = await support.tickets.require(ticket_id)
    policy, calendar = await sla_terms(support, ticket.priority, customer.tier)
    return await update_ticket(
        support,
        ticket_id,
        lambda t: link_customer(
            t,
            customer_id=customer.id,
            tier=customer.tier,
            policy=policy,
            calendar=calendar,
            now=support.now(),
        ),
        expected_version=expected_version,
        check=check,
    )


async def apply_customer_tier(support: Components, customer_id: str, tier: Tier) -> None:
    """A customer's tier changed: their open tickets get the tier's SLA from now on."""
    for ticket in await support.tickets.open_for_customer(customer_id):
        if ticket.customer_tier is tier:
            continue
        policy, calendar = await sla_terms(support, ticket.priority, tier)

        def change(
            current: Ticket, policy: SlaPolicy = policy, calendar: BusinessCalendar = calendar
        ) -> Outcome:
            updated = change_policy(
                current,
                priority=current.priority,
                tier=tier,
                policy=policy,
                calendar=calendar,
                now=support.now(),
            )
            return updated, []

        await update_ticket(support, ticket.id, change)
