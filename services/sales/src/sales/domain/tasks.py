"""Tasks and activities (S-9): assignment, due dates, reminders, status, and metrics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from crm_chassis.domain_errors import InvalidTransition
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import TaskAssigned, TaskReminderDue


class TaskKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    VISIT = "visit"
    TODO = "todo"


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class AssignmentMethod(StrEnum):
    MANUAL = "manual"
    LEAST_LOADED = "least_loaded"


_NEXT: dict[TaskStatus, set[TaskStatus]] = {
    TaskStatus.OPEN: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.DONE: {TaskStatus.IN_PROGRESS},
    TaskStatus.CANCELLED: {TaskStatus.OPEN},
}
ACTIVE = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
PRIORITY_TIERS = ("vip", "svip")


class Task(BaseModel):
    task_id: str
    version: int = 1
    title: str
    description: str | None = None
    kind: TaskKind = TaskKind.TODO
    priority: TaskPriority = TaskPriority.NORMAL
    status: TaskStatus = TaskStatus.OPEN
    assignee_id: str | None = None
    team: str | None = None
    assignment: AssignmentMethod = AssignmentMethod.MANUAL
    customer_id: str | None = None
    opportunity_id: str | None = None
    lead_id: str | None = None
    due_at: datetime | None = None
    remind_at: datetime | None = None
    reminded_at: datetime | None = None
    created_by: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class TaskMetrics(BaseModel):
    total: int
    open: int
    done: int
    overdue: int
    completion_rate: Decimal = Field(description="done / (tasks not cancelled)")
    on_time_rate: Decimal | None = Field(
        description="done by their due time / done with a due time"
    )
    average_handling_hours: Decimal | None


def needs_senior(priority: TaskPriority, customer_tier: str | None) -> bool:
    """High-priority work and VIP/SVIP customers go to senior reps when assigned automatically."""
    return priority is TaskPriority.HIGH or customer_tier in PRIORITY_TIERS


def default_reminder(due_at: datetime | None, hours_before: int) -> datetime | None:
    return None if due_at is None else due_at - timedelta(hours=hours_before)


def change_status(task: Task, status: TaskStatus, now: datetime) -> Task:
    if status == task.status:
        return task
    if status not in _NEXT[task.status]:
        raise InvalidTransition(f"A {task.status.value} task cannot become {status.value}.")
    update: dict[str, object] = {"status": status, "updated_at": now}
    if status is TaskStatus.IN_PROGRESS and task.started_at is None:
        update["started_at"] = now
    update["completed_at"] = now if status is TaskStatus.DONE else None
    return task.model_copy(update=update)


def reminder(task: Task, now: datetime) -> tuple[Task, list[EventData]]:
    """The task's reminder, once, when its time has come and the task is still open."""
    if not task.is_active or task.remind_at is None or task.reminded_at is not None:
        return task, []
    if task.remind_at > now or task.due_at is None:
        return task, []
    event = TaskReminderDue(
        task_id=task.task_id,
        title=task.title,
        assignee_id=task.assignee_id,
        customer_id=task.customer_id,
        team=task.team,
        due_at=task.due_at,
        reminded_at=now,
    )
    return task.model_copy(update={"reminded_at": now}), [event]


def assigned(task: Task, *, by: str | None, now: datetime) -> list[EventData]:
    """The event telling the task's assignee it is theirs now (none for a task nobody holds).

    ``by`` is who chose the assignee: the person who named them, ``None`` when a rule
    (least-loaded assignment) did; nobody is alerted of their own act.
    """
    if task.assignee_id is None:
        return []
    event = TaskAssigned(
        task_id=task.task_id,
        title=task.title,
        assignee_id=task.assignee_id,
        team=task.team,
        assigned_by=by,
        customer_id=task.customer_id,
        opportunity_id=task.opportunity_id,
        lead_id=task.lead_id,
        due_at=task.due_at,
        assigned_at=now,
    )
    return [event]


def reassign(
    task: Task, assignee_id: str, team: str | None, *, by: str | None, now: datetime
) -> tuple[Task, list[EventData]]:
    """Hand the task to someone (by hand); handing it to its current assignee changes nothing."""
    if assignee_id == task.assignee_id and team == task.team:
        return task, []
    changed = task.model_copy(
        update={
            "assignee_id": assignee_id,
            "team": team,
            "assignment": AssignmentMethod.MANUAL,
            "updated_at": now,
        }
    )
    if assignee_id == task.assignee_id:
        return changed, []
    return changed, assigned(changed, by=by, now=now)


def is_overdue(task: Task, now: datetime) -> bool:
    """Still to do and past its due time."""
    return task.is_active and task.due_at is not None and task.due_at < now


def _ratio(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else Decimal(0)


def metrics(tasks: Sequence[Task], now: datetime) -> TaskMetrics:
    counted = [t for t in tasks if t.status is not TaskStatus.CANCELLED]
    done = [t for t in counted if t.status is TaskStatus.DONE and t.completed_at is not None]
    with_due = [t for t in done if t.due_at is not None]
    on_time = [
        t
        for t in with_due
        if t.completed_at is not None and t.due_at is not None and t.completed_at <= t.due_at
    ]
    hours = [
        Decimal((t.completed_at - t.created_at).total_seconds()) / 3600
        for t in done
        if t.completed_at is not None
    ]
    overdue = [t for t in counted if is_overdue(t, now)]
    return TaskMetrics(
        total=len(counted),
        open=len([t for t in counted if t.is_active]),
        done=len(done),
        overdue=len(overdue),
        completion_rate=_ratio(len(done), len(counted)),
        on_time_rate=_ratio(len(on_time), len(with_due)) if with_due else None,
        average_handling_hours=(sum(hours, Decimal(0)) / len(hours)).quantize(Decimal("0.01"))
        if hours
        else None,
    )
