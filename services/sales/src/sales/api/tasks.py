"""/api/v1/tasks: activities with manual or least-loaded assignment, reminders, metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import Forbidden, NotFound
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort
from crm_contracts.access import Role
from sales.api.deps import ComponentsDep, IfMatch, ReadSales, WriteSales
from sales.api.visibility import ensure_customer_visible, ensure_visible, restricted
from sales.components import Components
from sales.domain.tasks import (
    AssignmentMethod,
    Task,
    TaskKind,
    TaskMetrics,
    TaskPriority,
    TaskStatus,
    is_overdue,
    metrics,
)
from sales.operations import tasks as task_ops
from sales.operations.ids import new_id
from sales.store.tasks import overdue_query

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

Text = Annotated[str, Field(max_length=200)]
_SORTABLE = ("due_at", "created_at", "priority", "status")
_METRICS_SCAN = 20_000


class AutoAssign(InputModel):
    """Pick the least-loaded active rep (optionally of a team, with a skill)."""

    team: Text | None = None
    skill: Text | None = None


class TaskCreate(InputModel):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=4000)] | None = None
    kind: TaskKind = TaskKind.TODO
    priority: TaskPriority = TaskPriority.NORMAL
    assignee_id: Text | None = Field(default=None, description="Manual assignment")
    auto_assign: AutoAssign | None = Field(default=None, description="Automatic assignment")
    customer_id: Text | None = None
    opportunity_id: Text | None = None
    lead_id: Text | None = None
    due_at: datetime | None = None
    remind_at: datetime | None = None


class TaskPatch(InputModel):
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    priority: TaskPriority | None = None
    due_at: datetime | None = None
    remind_at: datetime | None = None


class StatusIn(InputModel):
    status: TaskStatus


class AssignIn(InputModel):
    assignee_id: Text


class TaskOut(BaseModel):
    task_id: str
    version: int
    title: str
    description: str | None
    kind: TaskKind
    priority: TaskPriority
    status: TaskStatus
    assignee_id: str | None
    team: str | None
    assignment: AssignmentMethod
    customer_id: str | None
    opportunity_id: str | None
    lead_id: str | None
    due_at: datetime | None
    remind_at: datetime | None
    overdue: bool
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, task: Task) -> TaskOut:
        return cls(**task.model_dump(exclude={"reminded_at"}), overdue=is_overdue(task, utc_now()))


def _is_manager(principal: Principal) -> bool:
    return principal.has_role(Role.ADMIN) or principal.has_role(Role.SALES_MANAGER)


async def _visible(parts: Components, principal: Principal, task_id: str) -> Task:
    task = await parts.tasks.get(task_id)
    if task is None:
        raise NotFound("No task with that id.")
    if task.created_by != principal.subject:
        ensure_visible(principal, task.assignee_id, task.team, "task")
    return task


def _out(task: Task, response: Response | None = None) -> TaskOut:
    if response is not None:
        response.headers["ETag"] = etag(task.version)
    return TaskOut.of(task)


def _version(if_match: str | None, task: Task) -> int:
    version = expected_version(if_match)
    return task.version if version is None else version


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_task(
    body: TaskCreate,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
) -> TaskOut:
    """Assign by hand (``assignee_id``; reps may only assign themselves) or automatically
    (``auto_assign``: least-loaded; high priority or VIP customers go to senior reps)."""
    if body.customer_id is not None:
        await ensure_customer_visible(parts, principal, body.customer_id)
    assignee = body.assignee_id
    if assignee is None and body.auto_assign is None:
        assignee = principal.subject
    if assignee not in (None, principal.subject) and not _is_manager(principal):
        raise Forbidden("Only managers and admins assign tasks to others.")
    now = utc_now()
    rep = await parts.routing.get_rep(assignee) if assignee else None
    task = Task(
        task_id=new_id(),
        **body.model_dump(exclude={"auto_assign", "assignee_id"}),
        assignee_id=assignee,
        team=rep.team if rep else principal.team,
        created_by=principal.subject,
        created_at=now,
        updated_at=now,
    )
    auto = body.auto_assign
    created = await task_ops.create(
        parts,
        task,
        scope=principal.sales_scope(),
        auto=auto is not None,
        team=auto.team if auto else None,
        skill=auto.skill if auto else None,
        reminder_hours=parts.settings.task_reminder_hours,
    )
    return _out(created, response)


@router.get("")
async def list_tasks(
    principal: ReadSales,
    parts: ComponentsDep,
    page: PageDep,
    task_status: Annotated[TaskStatus | None, Query(alias="status")] = None,
    assignee_id: str | None = None,
    customer_id: str | None = None,
    opportunity_id: str | None = None,
    due_before: datetime | None = None,
    overdue: Annotated[
        bool | None,
        Query(
            description="true: open or in progress and past the due time; "
            "false: every other task (done, cancelled, not yet due, no due time)"
        ),
    ] = None,
    sort: str | None = None,
) -> Page[TaskOut]:
    filters = {
        "status": task_status.value if task_status else None,
        "assignee_id": assignee_id,
        "customer_id": customer_id,
        "opportunity_id": opportunity_id,
    }
    query = restricted(principal, filters, "assignee_id")
    narrower: list[dict[str, Any]] = []
    if due_before is not None:
        narrower.append({"due_at": {"$lt": due_before}})
    if overdue is not None:
        narrower.append(overdue_query(utc_now(), overdue=overdue))
    if narrower:
        query = {"$and": [query, *narrower] if query else narrower}
    order = parse_sort(sort, _SORTABLE, "due_at")
    found = await parts.tasks.find(query, sort=order, offset=page.offset, limit=page.limit)
    total = await parts.tasks.count(query)
    items = [TaskOut.of(task) for task in found]
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@router.get("/metrics")
async def task_metrics(
    principal: ReadSales,
    parts: ComponentsDep,
    assignee_id: str | None = None,
    team: str | None = None,
    created_from: datetime | None = None,
) -> TaskMetrics:
    """Completion rate, on-time rate and average handling time of the tasks you may see."""
    query = restricted(principal, {"assignee_id": assignee_id, "team": team}, "assignee_id")
    if created_from is not None:
        query["created_at"] = {"$gte": created_from}
    return metrics(await parts.tasks.find(query, limit=_METRICS_SCAN), utc_now())


@router.get("/{task_id}")
async def get_task(
    task_id: str, principal: ReadSales, parts: ComponentsDep, response: Response
) -> TaskOut:
    return _out(await _visible(parts, principal, task_id), response)


@router.patch("/{task_id}")
async def update_task(
    task_id: str,
    body: TaskPatch,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskOut:
    task = await _visible(parts, principal, task_id)
    changes = {**body.model_dump(exclude_unset=True), "updated_at": utc_now()}
    if "due_at" in changes or "remind_at" in changes:
        changes["reminded_at"] = None  # a moved deadline deserves a new reminder
    saved = await parts.tasks.save(task.model_copy(update=changes), _version(if_match, task))
    return _out(saved, response)


@router.put("/{task_id}/status")
async def change_status(
    task_id: str,
    body: StatusIn,
    principal: WriteSales,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskOut:
    task = await _visible(parts, principal, task_id)
    return _out(await task_ops.move(parts, task, body.status, _version(if_match, task)), response)


@router.put("/{task_id}/assignment")
async def reassign(
    task_id: str, body: AssignIn, principal: WriteSales, parts: ComponentsDep, response: Response
) -> TaskOut:
    if not _is_manager(principal):
        raise Forbidden("Only managers and admins reassign tasks.")
    task = await _visible(parts, principal, task_id)
    rep = await parts.routing.get_rep(body.assignee_id)
    if rep is None or not rep.active:
        raise NotFound("No active rep with that id.")
    reassigned = await task_ops.reassign(parts, task, rep.rep_id, rep.team, by=principal.subject)
    return _out(reassigned, response)
