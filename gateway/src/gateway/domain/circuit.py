"""A circuit breaker per upstream service: fail fast while a service is down.

Closed: calls pass; ``failure_threshold`` consecutive failures open it. Open: calls
are refused (503 with ``Retry-After``) until ``reset_seconds`` pass. Half-open:
one trial call passes; its success closes the circuit, its failure reopens it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import StrEnum


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int,
        reset_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failure_threshold
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if self._clock() - self._opened_at >= self._reset_seconds:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    def allow(self) -> bool:
        """Whether a call may go out now (in half-open state, only the first one)."""
        state = self.state
        if state is CircuitState.CLOSED:
            return True
        if state is CircuitState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def retry_after(self) -> int:
        """Whole seconds until a call may be tried again (at least 1)."""
        if self._opened_at is None:
            return 1
        remaining = self._reset_seconds - (self._clock() - self._opened_at)
        return max(1, math.ceil(remaining))

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> bool:
        """Count a failure; True when it opened the circuit (it was not open before)."""
        was_open = self.state is CircuitState.OPEN
        self._failures += 1
        if self._trial_in_flight or self._failures >= self._threshold:
            self._opened_at = self._clock()
        self._trial_in_flight = False
        return not was_open and self._opened_at is not None

    def release_trial(self) -> None:
        """A trial call ended without telling anything about the service's health."""
        self._trial_in_flight = False
