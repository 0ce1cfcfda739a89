"""Password checks run a few at a time; a check that cannot start soon is refused."""

from __future__ import annotations

import asyncio
import threading

import pytest

from crm_chassis.errors import ServiceUnavailable
from gateway.domain.passwords import PasswordHashing
from gateway.hashing import HashingGate
from gateway.settings import PasswordHashSettings, Settings, SignInSettings


class _SlowHashing(PasswordHashing):
    def __init__(self, release: threading.Event) -> None:
        super().__init__(time_cost=1, memory_kib=8, parallelism=1)
        self.release = release
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def verify(self, password_hash: str | None, password: str) -> bool:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.release.wait(5)
        with self._lock:
            self.running -= 1
        return False


async def test_a_check_that_cannot_start_in_time_is_a_503_with_retry_after() -> None:
    release = threading.Event()
    hashing = _SlowHashing(release)
    gate = HashingGate(hashing, slots=1, wait_seconds=0.05)
    first = asyncio.create_task(gate.verify(None, "x"))
    await asyncio.sleep(0)
    with pytest.raises(ServiceUnavailable) as refused:
        await gate.verify(None, "y")
    assert refused.value.status == 503
    assert refused.value.headers["Retry-After"] == "1"
    release.set()
    assert await first is False
    gate.close()


async def test_no_more_checks_run_at_once_than_there_are_slots() -> None:
    release = threading.Event()
    hashing = _SlowHashing(release)
    gate = HashingGate(hashing, slots=2, wait_seconds=5)
    checks = [asyncio.create_task(gate.verify(None, str(n))) for n in range(6)]
    await asyncio.sleep(0.1)
    release.set()
    await asyncio.gather(*checks)
    assert hashing.most_at_once == 2
    gate.close()


def test_the_number_of_slots_follows_the_memory_budget() -> None:

    def slots(budget_mib: int, memory_kib: int) -> int:
        settings = Settings.model_construct(
            sign_in=SignInSettings(hash_memory_budget_mib=budget_mib),
            password_hash=PasswordHashSettings(memory_kib=memory_kib),
        )
        return settings.concurrent_hashes()

    assert slots(96, 65536) == 1  # the defaults: one 64 MiB check at a time
    assert slots(256, 65536) == 4
    assert slots(16, 65536) == 1  # never none


async def test_warming_up_makes_the_stand_in_hash_for_unknown_accounts_in_advance() -> None:
    hashing = PasswordHashing(time_cost=1, memory_kib=8, parallelism=1)
    gate = HashingGate(hashing, slots=1, wait_seconds=1)
    assert "_dummy_hash" not in vars(hashing)

    await gate.warm()

    assert "_dummy_hash" in vars(hashing)  # the first unknown e-mail costs one check, not two
    gate.close()
