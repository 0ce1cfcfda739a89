"""Password (and client secret) hashing with Argon2id.

Hashing is deliberately slow (tens of milliseconds with the defaults, argon2-cffi's
RFC 9106 low-memory profile); callers run it in a worker thread so the event loop
keeps serving. The cost is configurable (tests use a cheap one).
"""

from __future__ import annotations

from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12


class PasswordHashing:
    def __init__(
        self, *, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )

    @cached_property
    def _dummy_hash(self) -> str:
        # Compared against when the account does not exist, so a wrong e-mail costs as
        # much time as a wrong password and does not reveal which accounts exist.
        return self._hasher.hash("not-a-real-password-only-for-timing")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            matches = self._hasher.verify(password_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return matches and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
