"""A circuit breaker per upstream service: fail fast while a service is down.

Closed: calls pass. It opens when, among the calls of the last ``window_seconds``, at
least ``failure_threshold`` failed and the failures are at least ``failure_ratio`` of
them. A service that is down fails every call and opens it as soon as the threshold
is reached; one that is only busy fails a few calls among many that succeed (under
load, a new connection can take longer than its timeout to open) and stays in use:
those few callers get an error, not everyone for ``reset_seconds``. Open: calls are
refused (503 with ``Retry-After``) until ``reset_seconds`` pass. Half-open: one trial
call passes; its success closes the circuit, its failure reopens it.
"""

from __future__ import annotations

import math
import time
from collections import deque
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
        *,
        window_seconds: float = 10.0,
        failure_ratio: float = 0.5,
    ) -> None:
        self._threshold = failure_threshold
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._window_seconds = window_seconds
        self._ratio = failure_ratio
        # The outcomes of the window's calls, oldest first: (when, failed).
        self._outcomes: deque[tuple[float, bool]] = deque()
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
        if self._opened_at is not None:  # the trial succeeded: start afresh
            self._outcomes.clear()
            self._failures = 0
        self._record(failed=False)
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> bool:
        """Count a failure; True when it opened the circuit (it was not open before)."""
        was_open = self.state is CircuitState.OPEN
        self._record(failed=True)
        calls = len(self._outcomes)
        if self._trial_in_flight or (
            self._failures >= self._threshold and self._failures >= self._ratio * calls
        ):
            self._opened_at = self._clock()
        self._trial_in_flight = False
        return not was_open and self._opened_at is not None

    def _record(self, *, failed: bool) -> None:
        now = self._clock()
        self._outcomes.append((now, failed))
        self._failures += failed
        while self._outcomes and self._outcomes[0][0] <= now - self._window_seconds:
            _, old_failed = self._outcomes.popleft()
            self._failures -= old_failed

    def release_trial(self) -> None:
        """A trial call ended without telling anything about the service's health."""
        self._trial_in_flight = False
