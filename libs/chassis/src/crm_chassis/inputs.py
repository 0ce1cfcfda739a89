"""A request carries only what its operation declares.

A body field or query parameter an operation does not know is refused with 422 rather
than dropped: a misspelt field (``compnay``) or an operator smuggled into a name
(``?tier[$ne]=normal``) would otherwise be answered as if the caller had not sent it.
Bodies refuse them through their models (``extra="forbid"``, which also makes the
published schema say ``additionalProperties: false``); query strings through one
app-wide dependency that compares the request with the matched route's parameters.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from pydantic import AliasChoices, BaseModel, ConfigDict

from crm_chassis.errors import FieldError, InvalidInput

EXTRA_FORBIDDEN = "extra_forbidden"  # pydantic's error type for an unknown body field


class InputModel(BaseModel):
    """A request body (or a part of one): unknown fields are refused with 422
    (``body.<field>``), and its JSON schema says so (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


# Body models ------------------------------------------------------------------------


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation names, directly or inside containers/unions."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _body_models(route: APIRoute) -> Iterator[type[BaseModel]]:
    dependants = [route.dependant]
    while dependants:
        dependant = dependants.pop()
        dependants.extend(dependant.dependencies)
        for field in dependant.body_params:
            yield from _models_in(field.field_info.annotation)


def models_accepting_unknown_fields(routers: Iterable[APIRouter]) -> list[str]:
    """Every model reachable from a route's body (nested models included) that does not
    refuse unknown fields, as ``module.Name (METHOD path)``."""
    found: dict[type[BaseModel], str] = {}
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            where = f"{'/'.join(sorted(route.methods or ()))} {route.path}"
            pending = list(_body_models(route))
            seen: set[type[BaseModel]] = set()
            while pending:
                model = pending.pop()
                if model in seen:
                    continue
                seen.add(model)
                if model.model_config.get("extra") != "forbid":
                    found.setdefault(model, where)
                for info in model.model_fields.values():
                    pending.extend(_models_in(info.annotation))
    return sorted(f"{model.__module__}.{model.__qualname__} ({at})" for model, at in found.items())


def require_strict_bodies(routers: Iterable[APIRouter]) -> None:
    """Refuse to build an app whose request bodies would silently drop unknown fields."""
    lenient = models_accepting_unknown_fields(routers)
    if lenient:
        raise TypeError(
            "request body models must refuse unknown fields (derive from "
            "crm_chassis.inputs.InputModel or set extra='forbid'): " + "; ".join(lenient)
        )


# Query parameters -------------------------------------------------------------------


def _param_model(field: Any) -> type[BaseModel] | None:
    """The model of a query parameter declared as ``Annotated[Model, Query()]``."""
    for model in _models_in(field.field_info.annotation):
        return model
    return None


def _names(alias: str, validation_alias: Any) -> set[str]:
    names = {alias}
    if isinstance(validation_alias, str):
        names.add(validation_alias)
    elif isinstance(validation_alias, AliasChoices):
        names.update(choice for choice in validation_alias.choices if isinstance(choice, str))
    return names


def declared_query_parameters(route: APIRoute) -> frozenset[str] | None:
    """The query parameter names a route (its endpoint and its dependencies) reads; None
    when it takes any (a query model that allows extra fields)."""
    names: set[str] = set()
    dependants = [route.dependant]
    while dependants:
        dependant = dependants.pop()
        dependants.extend(dependant.dependencies)
        for field in dependant.query_params:
            model = _param_model(field)
            if model is None:
                names |= _names(field.alias, field.field_info.validation_alias)
                continue
            if model.model_config.get("extra") == "allow":
                return None
            for name, info in model.model_fields.items():
                names |= _names(info.alias or name, info.validation_alias)
    return frozenset(names)


class UnknownQueryParameters:
    """An app-wide dependency: a query parameter the matched route does not declare is
    refused with 422 naming ``query.<name>``.

    Add it once with ``FastAPI(dependencies=[Depends(UnknownQueryParameters())])``. It
    sees the parameters of the route and of the route's and its router's dependencies;
    parameters of dependencies given to ``include_router`` are not part of the route,
    so declare those on the router or the route instead.
    """

    def __init__(self) -> None:
        # Per app: the routes an app serves live as long as the app, so ids stay unique.
        self._declared: dict[int, frozenset[str] | None] = {}

    def declared(self, route: APIRoute) -> frozenset[str] | None:
        key = id(route)
        if key not in self._declared:
            self._declared[key] = declared_query_parameters(route)
        return self._declared[key]

    async def __call__(self, request: Request) -> None:
        if not request.query_params:
            return
        route = request.scope.get("route")
        if not isinstance(route, APIRoute):
            return
        declared = self.declared(route)
        if declared is None:
            return
        unknown = [name for name in dict.fromkeys(request.query_params) if name not in declared]
        if not unknown:
            return
        accepted = ", ".join(sorted(declared)) or "none"
        raise InvalidInput(
            f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            errors=[
                FieldError(
                    field=f"query.{name}",
                    reason=f"not a parameter of this operation (it accepts: {accepted})",
                    type=EXTRA_FORBIDDEN,
                )
                for name in unknown
            ],
        )
