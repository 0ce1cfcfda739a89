"""The routing table: which service owns each ``/api/v1/`` operation, and who may call it.

Built from each service's OpenAPI document. The chassis publishes a route's required
permissions as the operation's OAuth2 security scopes; an operation without a
security requirement is public.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = "/api/v1/"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Operation:
    """One operation as the gateway exposes it."""

    service: str
    method: str
    template: str
    requirements: tuple[frozenset[str], ...] = ()
    # It answers with an event stream (text/event-stream): quiet for long stretches,
    # forwarded without a read timeout, each event passed on as it comes.
    streams: bool = False

    @property
    def public(self) -> bool:
        """No requirement at all, or an empty one (OpenAPI's "anonymous allowed")."""
        return not self.requirements or any(not scopes for scopes in self.requirements)

    def permitted(self, granted: frozenset[str]) -> bool:
        """Requirements are alternatives; every scope of one of them must be granted."""
        return self.public or any(scopes <= granted for scopes in self.requirements)


@dataclass(frozen=True)
class _Route:
    template: str
    pattern: re.Pattern[str]
    static_segments: int
    operations: Mapping[str, Operation]


@dataclass(frozen=True)
class RouteMatch:
    operation: Operation | None
    allowed_methods: frozenset[str]


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{regex}$")


def _first_segment(path: str) -> str:
    return path[len(API_PREFIX) :].split("/", 1)[0]


EVENT_STREAM = "text/event-stream"


def answers_with_event_stream(operation: Mapping[str, Any]) -> bool:
    """Whether an OpenAPI operation declares a successful text/event-stream response."""
    responses = operation.get("responses") or {}
    return any(
        str(code).startswith("2") and EVENT_STREAM in ((response or {}).get("content") or {})
        for code, response in responses.items()
        if isinstance(response, Mapping)
    )


def security_requirements(operation: Mapping[str, Any]) -> tuple[frozenset[str], ...]:
    requirements = []
    for requirement in operation.get("security") or []:
        scopes: set[str] = set()
        for values in requirement.values():
            scopes.update(str(value) for value in values or [])
        requirements.append(frozenset(scopes))
    return tuple(requirements)


@dataclass
class RouteTable:
    """Operations indexed by the first path segment after ``/api/v1/``."""

    _by_segment: dict[str, list[_Route]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    @classmethod
    def from_documents(cls, documents: Mapping[str, Mapping[str, Any]]) -> RouteTable:
        """Services are taken in the order given; a path another service already
        declared is a conflict and stays with the first."""
        owners: dict[str, str] = {}
        grouped: dict[str, dict[str, Operation]] = {}
        conflicts: list[str] = []
        for service, document in documents.items():
            for template, item in (document.get("paths") or {}).items():
                if not template.startswith(API_PREFIX):
                    continue
                owner = owners.setdefault(template, service)
                if owner != service:
                    conflicts.append(f"{template} declared by {owner} and {service}")
                    continue
                operations = grouped.setdefault(template, {})
                for method, operation in item.items():
                    if method in HTTP_METHODS and isinstance(operation, Mapping):
                        operations[method.upper()] = Operation(
                            service=service,
                            method=method.upper(),
                            template=template,
                            requirements=security_requirements(operation),
                            streams=answers_with_event_stream(operation),
                        )
        for conflict in conflicts:
            log.warning("route conflict: %s", conflict)
        return cls.from_operations(
            [op for operations in grouped.values() for op in operations.values()], conflicts
        )

    @classmethod
    def from_operations(
        cls, operations: Iterable[Operation], conflicts: list[str] | None = None
    ) -> RouteTable:
        by_template: dict[str, dict[str, Operation]] = {}
        for operation in operations:
            by_template.setdefault(operation.template, {})[operation.method] = operation
        table = cls(conflicts=list(conflicts or []))
        for template, methods in by_template.items():
            segments = template.strip("/").split("/")
            route = _Route(
                template=template,
                pattern=_compile(template),
                static_segments=sum(1 for s in segments if not s.startswith("{")),
                operations=methods,
            )
            table._by_segment.setdefault(_first_segment(template), []).append(route)
        for routes in table._by_segment.values():
            # Literal segments win over parameters: /leads/import before /leads/{id}.
            routes.sort(key=lambda r: (-r.static_segments, r.template))
        return table

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The operation for ``method path``; a path known under other methods gives
        an empty operation and the methods it allows (for a 405)."""
        if not path.startswith(API_PREFIX):
            return None
        allowed: set[str] = set()
        for route in self._by_segment.get(_first_segment(path), ()):
            if route.pattern.match(path):
                operation = route.operations.get(method)
                if operation is None and method == "HEAD":
                    operation = route.operations.get("GET")
                if operation is not None:
                    return RouteMatch(operation, frozenset(route.operations))
                allowed.update(route.operations)
        if allowed:
            return RouteMatch(None, frozenset(allowed))
        return None

    def services(self) -> dict[str, list[str]]:
        """Each service's path prefixes (first segment), for diagnostics."""
        prefixes: dict[str, set[str]] = {}
        for segment, routes in self._by_segment.items():
            for route in routes:
                for operation in route.operations.values():
                    prefixes.setdefault(operation.service, set()).add(segment)
        return {service: sorted(found) for service, found in prefixes.items()}

    def operations(self) -> list[Operation]:
        return [
            operation
            for routes in self._by_segment.values()
            for route in routes
            for operation in route.operations.values()
        ]
