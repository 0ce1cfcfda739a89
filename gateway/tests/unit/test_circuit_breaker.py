"""The per-service circuit breaker."""

from __future__ import annotations

from gateway.domain.circuit import CircuitBreaker, CircuitState


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_enough_failures_and_refuses_calls() -> None:
    breaker = CircuitBreaker(3, 10, Clock())

    for _ in range(3):
        breaker.record_failure()

    assert breaker.state is CircuitState.OPEN
    assert not breaker.allow()
    assert breaker.retry_after() == 10


def test_only_the_failure_that_opens_the_circuit_says_so() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2, 10, clock)

    opened = [breaker.record_failure() for _ in range(4)]
    clock.now += 10
    assert breaker.allow()  # the half-open trial
    reopened = breaker.record_failure()

    assert opened == [False, True, False, False]
    assert reopened is True


def test_a_busy_service_failing_a_few_calls_among_many_stays_in_use() -> None:
    breaker = CircuitBreaker(5, 10, Clock())
    for _ in range(100):
        breaker.record_success()

    # A burst of new connections that took too long to open, all at once.
    opened = [breaker.record_failure() for _ in range(5)]

    assert opened == [False] * 5
    assert breaker.state is CircuitState.CLOSED


def test_a_service_failing_most_calls_opens_despite_a_few_successes() -> None:
    breaker = CircuitBreaker(5, 10, Clock())

    for _ in range(3):
        breaker.record_success()
    opened = [breaker.record_failure() for _ in range(5)]

    assert opened == [False, False, False, False, True]
    assert breaker.state is CircuitState.OPEN


def _opened_then_cooled(threshold: int, clock: Clock, *, seconds: float) -> CircuitBreaker:
    """A breaker (10 s reset) opened by ``threshold`` failures, ``seconds`` later."""
    breaker = CircuitBreaker(threshold, 10, clock)
    for _ in range(threshold):
        breaker.record_failure()
    clock.now += seconds
    return breaker


def test_failures_older_than_the_window_are_forgotten() -> None:
    clock = Clock()
    breaker = CircuitBreaker(3, 10, clock, window_seconds=5)
    breaker.record_failure()
    breaker.record_failure()
    clock.now += 5

    breaker.record_failure()

    assert breaker.state is CircuitState.CLOSED


def test_after_a_successful_trial_earlier_failures_no_longer_count() -> None:
    breaker = _opened_then_cooled(3, Clock(), seconds=10)
    assert breaker.allow()
    breaker.record_success()

    breaker.record_failure()

    assert breaker.state is CircuitState.CLOSED


def test_after_the_cool_down_one_trial_passes_and_its_success_closes() -> None:
    breaker = _opened_then_cooled(1, Clock(), seconds=10)

    first, second = breaker.allow(), breaker.allow()
    breaker.record_success()

    assert (first, second) == (True, False)
    assert breaker.state is CircuitState.CLOSED


def test_a_failed_trial_opens_again() -> None:
    breaker = _opened_then_cooled(5, Clock(), seconds=11)

    assert breaker.allow()
    breaker.record_failure()

    assert breaker.state is CircuitState.OPEN
    assert breaker.retry_after() == 10
