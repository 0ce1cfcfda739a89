"""Service-level agreements: which targets apply to a ticket, and its two clocks.

A ticket has a first-response clock (stops at the first public agent reply) and a
resolution clock (stops at resolution). Each clock is a budget of business seconds
from its policy's calendar. While the ticket waits on the customer both clocks are
paused: the business time used so far is banked and the deadline is cleared, so the
breach scanner cannot see the ticket; resuming computes a fresh deadline from what is
left. Deadlines are stored, so a restarted service or another replica sees the same.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from support.domain.calendar import ALWAYS_OPEN, BusinessCalendar, add_business_seconds
from support.domain.calendar import business_seconds_between as _business_seconds


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Tier(StrEnum):
    NORMAL = "normal"
    VIP = "vip"
    SVIP = "svip"

    @classmethod
    def parse(cls, value: str | None) -> Tier:
        """A tier name from another service's event, unknown values counting as normal."""
        try:
            return cls((value or "normal").strip().lower())
        except ValueError:
            return cls.NORMAL


class SlaClockName(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


HOUR = 3600

# Built-in targets (T-4): first response within 24 h by default, tighter for high
# priority and for VIP/SVIP customers. Stored policies override these.
DEFAULT_TARGETS: dict[Tier, dict[Priority, tuple[int, int]]] = {
    Tier.NORMAL: {
        Priority.LOW: (24 * HOUR, 120 * HOUR),
        Priority.NORMAL: (24 * HOUR, 72 * HOUR),
        Priority.HIGH: (8 * HOUR, 48 * HOUR),
        Priority.URGENT: (2 * HOUR, 24 * HOUR),
    },
    Tier.VIP: {
        Priority.LOW: (8 * HOUR, 72 * HOUR),
        Priority.NORMAL: (4 * HOUR, 48 * HOUR),
        Priority.HIGH: (2 * HOUR, 24 * HOUR),
        Priority.URGENT: (1 * HOUR, 8 * HOUR),
    },
    Tier.SVIP: {
        Priority.LOW: (4 * HOUR, 48 * HOUR),
        Priority.NORMAL: (2 * HOUR, 24 * HOUR),
        Priority.HIGH: (1 * HOUR, 12 * HOUR),
        Priority.URGENT: (HOUR // 2, 4 * HOUR),
    },
}
DEFAULT_WARNING_RATIO = 0.8


# A year: beyond it a target means nothing, and its due time must stay a date.
MAX_TARGET_SECONDS = 366 * 24 * 3600


class SlaPolicyFields(BaseModel):
    """Targets for tickets of one priority, optionally only for one customer tier."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    priority: Priority
    tier: Tier | None = None
    first_response_seconds: int = Field(gt=0, le=MAX_TARGET_SECONDS)
    resolution_seconds: int = Field(gt=0, le=MAX_TARGET_SECONDS)
    warning_ratio: float = Field(default=DEFAULT_WARNING_RATIO, gt=0, lt=1)
    calendar_id: str | None = None


class SlaPolicy(SlaPolicyFields):
    id: str


def default_policy(priority: Priority, tier: Tier) -> SlaPolicy:
    first, resolution = DEFAULT_TARGETS[tier][priority]
    return SlaPolicy(
        id=f"default-{tier.value}-{priority.value}",
        name=f"Default {tier.value.upper()} {priority.value}",
        priority=priority,
        tier=tier,
        first_response_seconds=first,
        resolution_seconds=resolution,
    )


def applying_defaults(policies: list[SlaPolicy]) -> list[SlaPolicy]:
    """The built-in defaults that apply beside the stored ``policies``: one per tier and
    priority that no stored policy covers (see :func:`select_policy`)."""
    return [
        default_policy(priority, tier)
        for tier in Tier
        for priority in Priority
        if not any(p.priority == priority and p.tier in (tier, None) for p in policies)
    ]


def select_policy(policies: list[SlaPolicy], priority: Priority, tier: Tier) -> SlaPolicy:
    """The most specific stored policy (same priority and tier, then priority for any
    tier), else the built-in default for the pair."""
    exact = [p for p in policies if p.priority == priority and p.tier == tier]
    any_tier = [p for p in policies if p.priority == priority and p.tier is None]
    for candidates in (exact, any_tier):
        if candidates:
            return min(candidates, key=lambda p: p.id)
    return default_policy(priority, tier)


class SlaClock(BaseModel):
    """One SLA clock. ``due_at`` is set only while the clock runs."""

    target_seconds: int
    warning_ratio: float = DEFAULT_WARNING_RATIO
    elapsed_seconds: float = 0.0
    running_since: datetime | None = None
    due_at: datetime | None = None
    warn_at: datetime | None = None
    stopped_at: datetime | None = None
    warned: bool = False
    breached: bool = False

    @property
    def is_running(self) -> bool:
        return self.running_since is not None

    def met(self) -> bool | None:
        """True/False once stopped; None while still counting."""
        if self.stopped_at is None:
            return None
        return not self.breached


class TicketSla(BaseModel):
    policy_id: str
    policy_name: str
    calendar: BusinessCalendar = ALWAYS_OPEN
    first_response: SlaClock
    resolution: SlaClock

    def clock(self, name: SlaClockName) -> SlaClock:
        return self.first_response if name is SlaClockName.FIRST_RESPONSE else self.resolution

    def with_clock(self, name: SlaClockName, clock: SlaClock) -> TicketSla:
        field = name.value
        return self.model_copy(update={field: clock})


def _schedule(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    remaining = clock.target_seconds - clock.elapsed_seconds
    warn_budget = clock.target_seconds * clock.warning_ratio - clock.elapsed_seconds
    return clock.model_copy(
        update={
            "running_since": now,
            "due_at": add_business_seconds(calendar, now, remaining),
            "warn_at": add_business_seconds(calendar, now, max(warn_budget, 0.0)),
        }
    )


def start_sla(policy: SlaPolicy, calendar: BusinessCalendar, now: datetime) -> TicketSla:
    """Both clocks started at ``now`` under ``policy``."""

    def clock(target: int) -> SlaClock:
        fresh = SlaClock(target_seconds=target, warning_ratio=policy.warning_ratio)
        return _schedule(fresh, calendar, now)

    return TicketSla(
        policy_id=policy.id,
        policy_name=policy.name,
        calendar=calendar,
        first_response=clock(policy.first_response_seconds),
        resolution=clock(policy.resolution_seconds),
    )


def _pause(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    if clock.running_since is None:
        return clock
    used = _business_seconds(calendar, clock.running_since, now)
    return clock.model_copy(
        update={
            "elapsed_seconds": clock.elapsed_seconds + used,
            "running_since": None,
            "due_at": None,
            "warn_at": None,
        }
    )


def pause_sla(sla: TicketSla, now: datetime) -> TicketSla:
    """Stop both clocks counting (waiting on the customer)."""
    return sla.model_copy(
        update={
            "first_response": _pause(sla.first_response, sla.calendar, now),
            "resolution": _pause(sla.resolution, sla.calendar, now),
        }
    )


def _resume(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    if clock.running_since is not None or clock.stopped_at is not None:
        return clock
    return _schedule(clock, calendar, now)


def resume_sla(sla: TicketSla, now: datetime) -> TicketSla:
    """Let the clocks that are neither stopped nor running count again from ``now``."""
    return sla.model_copy(
        update={
            "first_response": _resume(sla.first_response, sla.calendar, now),
            "resolution": _resume(sla.resolution, sla.calendar, now),
        }
    )


def stop_clock(sla: TicketSla, name: SlaClockName, now: datetime) -> TicketSla:
    """The clock's goal was reached (first reply sent, ticket resolved)."""
    clock = sla.clock(name)
    if clock.stopped_at is not None:
        return sla
    paused = _pause(clock, sla.calendar, now)
    breached = paused.breached or paused.elapsed_seconds > paused.target_seconds
    stopped = paused.model_copy(update={"stopped_at": now, "breached": breached})
    return sla.with_clock(name, stopped)


def restart_resolution(sla: TicketSla, now: datetime) -> TicketSla:
    """A reopened ticket: the resolution clock counts again from what was left."""
    clock = sla.resolution.model_copy(update={"stopped_at": None})
    return sla.with_clock(SlaClockName.RESOLUTION, _schedule(clock, sla.calendar, now))


def reapply_policy(
    sla: TicketSla, policy: SlaPolicy, calendar: BusinessCalendar, now: datetime
) -> TicketSla:
    """New targets (priority or customer tier changed) keeping the business time used."""

    def retarget(clock: SlaClock, target: int) -> SlaClock:
        if clock.stopped_at is not None:
            return clock
        running = clock.running_since is not None
        banked = _pause(clock, sla.calendar, now).model_copy(
            update={"target_seconds": target, "warning_ratio": policy.warning_ratio}
        )
        return _schedule(banked, calendar, now) if running else banked

    return TicketSla(
        policy_id=policy.id,
        policy_name=policy.name,
        calendar=calendar,
        first_response=retarget(sla.first_response, policy.first_response_seconds),
        resolution=retarget(sla.resolution, policy.resolution_seconds),
    )
