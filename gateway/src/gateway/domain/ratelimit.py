"""Which rate limit applies to a caller (the counting itself happens in Redis)."""

from __future__ import annotations

from dataclasses import dataclass

from crm_chassis.auth import Principal


@dataclass(frozen=True)
class RatePolicy:
    """``limit`` requests per ``window_seconds`` for the bucket named ``key``."""

    key: str
    limit: int
    window_seconds: int

    @property
    def header_policy(self) -> str:
        return f"{self.limit};w={self.window_seconds}"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    retry_after_seconds: int

    def headers(self, policy: RatePolicy) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
            "RateLimit-Policy": policy.header_policy,
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after_seconds)
        return headers


def rate_policy(
    principal: Principal | None,
    client_address: str,
    *,
    anonymous: int,
    default: int,
    per_role: dict[str, int],
    per_client: dict[str, int],
    window_seconds: int,
) -> RatePolicy:
    """Per client id or user id when authenticated, else per network address.

    A client listed explicitly gets its own limit; otherwise the most generous of
    the caller's roles, or the default.
    """
    if principal is None:
        return RatePolicy(f"anon:{client_address}", anonymous, window_seconds)
    key = f"{principal.kind}:{principal.subject}"
    if principal.kind == "client" and principal.subject in per_client:
        return RatePolicy(key, per_client[principal.subject], window_seconds)
    role_limits = [per_role[role.value] for role in principal.roles if role.value in per_role]
    return RatePolicy(key, max(role_limits, default=default), window_seconds)
