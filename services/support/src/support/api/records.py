"""Routes for administrative records (create, list, read, replace, delete), built once.

SLA policies, business calendars, routing rules and agents are whole documents with a
version: each gets the same five routes, with ``ETag``/``If-Match`` on replace and
delete, and an optional check of references before writing. A resource may also have
built-in records that apply without being stored (the default SLA policies): they are
listed and read with version 0, and cannot be replaced or deleted.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, create_model

from crm_chassis.auth import Principal, allowed
from crm_chassis.concurrency import etag
from crm_chassis.domain_errors import RecordNotFound, StateConflict
from crm_chassis.pagination import Page, PageDep, SortSpec, parse_sort
from crm_contracts.access import Permission
from support.api.deps import IfMatchRequired, SupportDep
from support.components import Components
from support.operations.ids import new_id
from support.store.settings_records import RecordStore, Versioned

F = TypeVar("F", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)

Check = Callable[[Components, Any], Awaitable[None]]
BUILT_IN_VERSION = 0


async def _no_check(_support: Components, _record: Any) -> None:
    return None


class RecordResource(Generic[F, R]):
    """One administrative resource: input fields ``F``, stored record ``R`` (``F`` + id)."""

    def __init__(
        self,
        *,
        path: str,
        tag: str,
        fields: type[F],
        record: type[R],
        store: Callable[[Components], RecordStore[R]],
        read: Permission,
        write: Permission,
        sortable: tuple[str, ...] = ("name",),
        default_sort: str = "name",
        check: Check = _no_check,
        built_in: Callable[[list[R]], list[R]] | None = None,
    ) -> None:
        self.path, self.tag, self.fields, self.record = path, tag, fields, record
        self.store, self.read, self.write, self.check = store, read, write, check
        self.sortable, self.default_sort = sortable, default_sort
        self.built_in = built_in
        self.out: type[BaseModel] = create_model(
            f"{record.__name__}Out", __base__=record, version=(int, ...)
        )

    def shaped(self, stored: Versioned[R], response: Response | None = None) -> Any:
        if response is not None:
            response.headers["ETag"] = etag(stored.version)
        return self.out.model_validate({**stored.record.model_dump(), "version": stored.version})

    async def everything(self, support: Components) -> list[Versioned[R]]:
        """The stored records and the built-in ones that apply beside them."""
        stored = await self.store(support).all_versioned()
        if self.built_in is None:
            return stored
        built_in = self.built_in([item.record for item in stored])
        return [*stored, *(Versioned[R](record=r, version=BUILT_IN_VERSION) for r in built_in)]

    async def built_in_record(self, support: Components, record_id: str) -> Versioned[R] | None:
        if self.built_in is None:
            return None
        for item in await self.everything(support):
            if item.version == BUILT_IN_VERSION and item.record.id == record_id:  # type: ignore[attr-defined]
                return item
        return None

    async def refuse_built_in(self, support: Components, record_id: str) -> None:
        if await self.built_in_record(support, record_id) is not None:
            raise StateConflict(
                f"{record_id} is built in and cannot be changed; create a record that "
                "takes its place instead."
            )

    def router(self) -> APIRouter:
        router = APIRouter(prefix=self.path, tags=[self.tag])
        resource = self
        Body = self.fields
        Out = self.out
        Reader = Annotated[Principal, allowed(self.read)]
        Writer = Annotated[Principal, allowed(self.write)]

        @router.post("", status_code=status.HTTP_201_CREATED, response_model=Out)
        async def create(body: Body, support: SupportDep, _: Writer, response: Response) -> Any:  # type: ignore[valid-type]
            record = resource.record.model_validate({"id": new_id(), **body.model_dump()})  # type: ignore[attr-defined]
            await resource.check(support, record)
            stored = await resource.store(support).create(record)
            response.headers["Location"] = f"{resource.path}/{record.id}"  # type: ignore[attr-defined]
            return resource.shaped(stored, response)

        @router.get("", response_model=Page[Out])  # type: ignore[valid-type]
        async def list_records(
            support: SupportDep,
            _: Reader,
            page: PageDep,
            sort: Annotated[str | None, Query()] = None,
        ) -> Any:
            spec = parse_sort(sort, resource.sortable, resource.default_sort)
            if resource.built_in is None:
                found = await resource.store(support).page(
                    {}, sort=spec, offset=page.offset, limit=page.limit
                )
                items, total = found.items, found.total
            else:  # a few records: sorted and paged here, built-in ones among them
                everything = _sorted(await resource.everything(support), spec)
                items = everything[page.offset : page.offset + page.limit]
                total = len(everything)
            return {
                "items": [resource.shaped(item) for item in items],
                "total": total,
                "offset": page.offset,
                "limit": page.limit,
            }

        @router.get("/{record_id}", response_model=Out)
        async def read(record_id: str, support: SupportDep, _: Reader, response: Response) -> Any:
            stored = await resource.store(support).get(record_id)
            if stored is None:
                stored = await resource.built_in_record(support, record_id)
            if stored is None:
                raise RecordNotFound(f"Nothing at {resource.path}/{record_id}.")
            return resource.shaped(stored, response)

        @router.put("/{record_id}", response_model=Out)
        async def replace(
            record_id: str,
            body: Body,  # type: ignore[valid-type]
            support: SupportDep,
            _: Writer,
            version: IfMatchRequired,
            response: Response,
        ) -> Any:
            await resource.refuse_built_in(support, record_id)
            record = resource.record.model_validate({**body.model_dump(), "id": record_id})  # type: ignore[attr-defined]
            await resource.check(support, record)
            stored = await resource.store(support).replace(record_id, record, version)
            return resource.shaped(stored, response)

        @router.delete("/{record_id}", status_code=status.HTTP_204_NO_CONTENT)
        async def delete(
            record_id: str,
            support: SupportDep,
            _: Writer,
            version: IfMatchRequired,
        ) -> Response:
            await resource.refuse_built_in(support, record_id)
            await resource.store(support).delete_at(record_id, version)
            return Response(status_code=status.HTTP_204_NO_CONTENT)

        return router


def _sorted(items: list[Versioned[R]], spec: SortSpec) -> list[Versioned[R]]:
    """``items`` in the order MongoDB would give for ``spec`` (missing values first)."""
    ordered = list(items)
    for field, direction in reversed(spec):
        name = "id" if field == "_id" else field

        def key(item: Versioned[R], name: str = name) -> tuple[bool, Any]:
            value = getattr(item.record, name, None)
            return value is not None, "" if value is None else value

        ordered.sort(key=key, reverse=direction < 0)
    return ordered
