"""Task use cases: create with manual or automatic (least-loaded) assignment, status, reminders."""

from __future__ import annotations

from datetime import datetime

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RuleViolation, VersionConflict
from crm_contracts.access import RecordScope
from sales.components import Components
from sales.domain import tasks as rules
from sales.domain.routing import RuleTarget, eligible_reps
from sales.domain.tasks import AssignmentMethod, Task, TaskStatus
from sales.operations.references import check_references


async def pick_assignee(
    parts: Components, task: Task, *, team: str | None, skill: str | None
) -> tuple[str, str | None]:
    """The least-loaded eligible rep (by open tasks), claimed atomically."""
    tier = None
    if task.customer_id:
        customer = await parts.customers.get(task.customer_id)
        tier = customer.tier if customer else None
    target = RuleTarget(team=team, skill=skill, senior_only=rules.needs_senior(task.priority, tier))
    reps = eligible_reps(target, await parts.routing.list_reps(team))
    if not reps and target.senior_only:
        reps = eligible_reps(
            target.model_copy(update={"senior_only": False}), await parts.routing.list_reps(team)
        )
    if not reps:
        raise RuleViolation("No active rep matches this team and skill.", field="team")
    rep_id = await parts.routing.claim_least_loaded([rep.rep_id for rep in reps], "tasks")
    return rep_id, next(rep.team for rep in reps if rep.rep_id == rep_id)


async def create(
    parts: Components,
    task: Task,
    *,
    scope: RecordScope,
    auto: bool,
    team: str | None,
    skill: str | None,
    reminder_hours: int,
) -> Task:
    """Store a new task; one held by someone tells them (``task.assigned``) in the same
    write. A task named to a person was assigned by its creator, an automatic one by the
    least-loaded rule (no person).

    Its opportunity must be one its creator (whose sales records are ``scope``) may name,
    checked before a rep's load is counted."""
    await check_references(
        parts, scope, customer_id=task.customer_id, opportunity_id=task.opportunity_id
    )
    if task.remind_at is None:
        task = task.model_copy(
            update={"remind_at": rules.default_reminder(task.due_at, reminder_hours)}
        )
    assigned_by = task.created_by
    if auto:
        assignee, rep_team = await pick_assignee(parts, task, team=team, skill=skill)
        task = task.model_copy(
            update={
                "assignee_id": assignee,
                "team": rep_team,
                "assignment": AssignmentMethod.LEAST_LOADED,
            }
        )
        assigned_by = None
    elif task.assignee_id is not None:
        await parts.routing.add_load(task.assignee_id, "tasks", 1)
    await parts.tasks.insert(task, rules.assigned(task, by=assigned_by, now=task.created_at))
    return task


async def move(parts: Components, task: Task, status: TaskStatus, version: int) -> Task:
    changed = rules.change_status(task, status, utc_now())
    saved = await parts.tasks.save(changed, version)
    if task.assignee_id is not None and task.is_active != saved.is_active:
        await parts.routing.add_load(task.assignee_id, "tasks", 1 if saved.is_active else -1)
    return saved


async def reassign(
    parts: Components, task: Task, assignee_id: str, team: str | None, *, by: str | None
) -> Task:
    """Hand the task to another rep; the new assignee is told in the same write."""
    updated, events = rules.reassign(task, assignee_id, team, by=by, now=utc_now())
    if updated is task:
        return task
    saved = await parts.tasks.save(updated, task.version, events)
    if task.is_active and assignee_id != task.assignee_id:
        await parts.routing.add_load(assignee_id, "tasks", 1)
        if task.assignee_id is not None:
            await parts.routing.add_load(task.assignee_id, "tasks", -1)
    return saved


async def send_reminders(parts: Components, now: datetime) -> int:
    """Publish each due reminder once (version-checked, so replicas cannot double it)."""
    due = await parts.tasks.find(
        {
            "status": {"$in": ["open", "in_progress"]},
            "remind_at": {"$lte": now},
            "reminded_at": None,
        },
        limit=1000,
    )
    sent = 0
    for task in due:
        reminded, events = rules.reminder(task, now)
        if not events:
            continue
        try:
            await parts.tasks.save(reminded, task.version, events)
        except VersionConflict:
            continue
        sent += 1
    return sent
