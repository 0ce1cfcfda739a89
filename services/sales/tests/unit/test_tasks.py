from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.domain_errors import InvalidTransition
from crm_contracts.events.sales import TaskAssigned, TaskReminderDue
from sales.domain.tasks import (
    AssignmentMethod,
    Task,
    TaskPriority,
    TaskStatus,
    assigned,
    change_status,
    is_overdue,
    metrics,
    needs_senior,
    reassign,
    reminder,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def task(**overrides: object) -> Task:
    fields: dict[str, object] = {
        "task_id": "t",
        "title": "Call back",
        "assignee_id": "rep-1",
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Task.model_validate(fields)


def test_completion_on_time_and_handling_metrics() -> None:
    tasks = [
        change_status(
            task(due_at=NOW + timedelta(hours=5)), TaskStatus.DONE, NOW + timedelta(hours=2)
        ),
        change_status(
            task(due_at=NOW + timedelta(hours=1)), TaskStatus.DONE, NOW + timedelta(hours=4)
        ),
        task(due_at=NOW - timedelta(hours=1)),
        change_status(task(), TaskStatus.CANCELLED, NOW),
    ]
    result = metrics(tasks, NOW)
    assert (result.total, result.done, result.open, result.overdue) == (3, 2, 1, 1)
    assert result.completion_rate == Decimal("0.6667")
    assert result.on_time_rate == Decimal("0.5000")
    assert result.average_handling_hours == Decimal("3.00")


def test_reminder_fires_once_when_due_and_not_for_finished_tasks() -> None:
    due = task(due_at=NOW + timedelta(hours=2), remind_at=NOW - timedelta(minutes=1))
    reminded, events = reminder(due, NOW)
    assert isinstance(events[0], TaskReminderDue)
    assert reminder(reminded, NOW + timedelta(minutes=5))[1] == []
    finished = change_status(due, TaskStatus.DONE, NOW)
    assert reminder(finished, NOW)[1] == []


def test_done_tasks_can_be_reopened_to_in_progress_only() -> None:
    done = change_status(task(), TaskStatus.DONE, NOW)
    with pytest.raises(InvalidTransition):
        change_status(done, TaskStatus.CANCELLED, NOW)
    reopened = change_status(done, TaskStatus.IN_PROGRESS, NOW)
    assert reopened.completed_at is None


def test_high_priority_and_vip_customers_need_senior_reps() -> None:
    assert needs_senior(TaskPriority.HIGH, None)
    assert needs_senior(TaskPriority.NORMAL, "svip")
    assert not needs_senior(TaskPriority.NORMAL, "normal")


def test_a_held_task_tells_its_assignee_and_an_unheld_one_tells_nobody() -> None:
    [event] = assigned(task(team="north", due_at=NOW), by="mgr-1", now=NOW)
    assert isinstance(event, TaskAssigned)
    assert (event.assignee_id, event.team, event.assigned_by) == ("rep-1", "north", "mgr-1")
    assert event.due_at == NOW
    assert assigned(task(assignee_id=None), by="mgr-1", now=NOW) == []


def test_handing_a_task_on_tells_the_new_assignee_and_to_the_same_one_changes_nothing() -> None:
    held = task(team="north", assignment=AssignmentMethod.LEAST_LOADED)
    later = NOW + timedelta(hours=1)
    handed, events = reassign(held, "rep-2", "east", by="mgr-1", now=later)
    assert (handed.assignee_id, handed.team, handed.assignment) == (
        "rep-2",
        "east",
        AssignmentMethod.MANUAL,
    )
    [event] = events
    assert isinstance(event, TaskAssigned)
    assert (event.assignee_id, event.assigned_by, event.assigned_at) == ("rep-2", "mgr-1", later)
    assert reassign(held, "rep-1", "north", by="mgr-1", now=later) == (held, [])
    moved_team, events = reassign(held, "rep-1", "south", by="mgr-1", now=later)
    assert moved_team.team == "south"
    assert events == []


def test_a_reminder_names_the_team() -> None:
    due = task(team="north", due_at=NOW + timedelta(hours=2), remind_at=NOW)
    [event] = reminder(due, NOW)[1]
    assert isinstance(event, TaskReminderDue)
    assert event.team == "north"


def test_overdue_means_still_to_do_and_past_due() -> None:
    assert is_overdue(task(due_at=NOW - timedelta(minutes=1)), NOW)
    assert not is_overdue(task(due_at=NOW), NOW)
    assert not is_overdue(task(), NOW)
    late_done = change_status(task(due_at=NOW - timedelta(hours=1)), TaskStatus.DONE, NOW)
    assert not is_overdue(late_done, NOW)
