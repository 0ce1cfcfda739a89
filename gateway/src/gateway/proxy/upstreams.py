"""The services behind the gateway: their routes (from OpenAPI), health and breakers.

Each service's ``/openapi.json`` is fetched at start-up, every
``openapi_refresh_seconds`` and on a routing miss (at most every
``openapi_miss_refresh_seconds``). The last document seen is kept in MongoDB, so a
gateway restarted while a service is down still routes its paths (to a 503).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from typing import Any

import httpx

from crm_chassis.background import PeriodicWork
from gateway.domain.circuit import CircuitBreaker
from gateway.domain.openapi import merge_platform_documents, without_prefixes
from gateway.domain.routing import RouteTable
from gateway.settings import UpstreamSettings
from gateway.store.specs import SpecStore

log = logging.getLogger(__name__)


class Upstreams:
    def __init__(
        self,
        urls: dict[str, str],
        client: httpx.AsyncClient,
        specs: SpecStore,
        settings: UpstreamSettings,
        *,
        own_prefixes: Collection[str],
        own_document: Callable[[], dict[str, Any]],
    ) -> None:
        self.urls = urls
        self.client = client
        self._specs = specs
        self._settings = settings
        self._own_prefixes = frozenset(own_prefixes)
        self._own_document = own_document
        self.documents: dict[str, dict[str, Any]] = {}
        self.table = RouteTable()
        self.breakers = {
            name: CircuitBreaker(
                settings.breaker_failure_threshold,
                settings.breaker_reset_seconds,
                window_seconds=settings.breaker_window_seconds,
                failure_ratio=settings.breaker_failure_ratio,
            )
            for name in urls
        }
        self._merged: dict[str, Any] | None = None
        self._last_refresh = 0.0
        self._refresh_lock = asyncio.Lock()
        self._refresher = PeriodicWork(
            "openapi-refresh", self.refresh, settings.openapi_refresh_seconds
        )

    async def start(self) -> None:
        self.documents = {
            name: document
            for name, document in (await self._specs.load_all()).items()
            if name in self.urls
        }
        await self.refresh()
        self._refresher.start()

    async def stop(self) -> None:
        await self._refresher.stop()

    async def _fetch(self, name: str, url: str) -> dict[str, Any] | None:
        try:
            response = await self.client.get(f"{url}/openapi.json", timeout=2.0)
            response.raise_for_status()
            document: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("cannot fetch the OpenAPI document of %s: %s", name, error)
            return None
        return without_prefixes(document, self._own_prefixes)

    async def refresh(self) -> None:
        async with self._refresh_lock:
            names = list(self.urls)
            fetched = await asyncio.gather(*(self._fetch(n, self.urls[n]) for n in names))
            for name, document in zip(names, fetched, strict=True):
                if document is not None and document != self.documents.get(name):
                    self.documents[name] = document
                    await self._specs.save(name, document)
            ordered = {name: self.documents[name] for name in names if name in self.documents}
            self.table = RouteTable.from_documents(ordered)
            self._merged = None
            self._last_refresh = time.monotonic()

    async def refresh_after_miss(self) -> bool:
        """Refresh once if the last refresh is old enough; True if it did."""
        if time.monotonic() - self._last_refresh < self._settings.openapi_miss_refresh_seconds:
            return False
        await self.refresh()
        return True

    def merged_openapi(self) -> dict[str, Any]:
        if self._merged is None:
            self._merged = merge_platform_documents(self._own_document(), self.documents)
        return self._merged

    async def reachability(self) -> dict[str, dict[str, Any]]:
        async def probe(name: str, url: str) -> tuple[str, bool]:
            try:
                response = await self.client.get(f"{url}/healthz", timeout=1.0)
            except httpx.HTTPError:
                return name, False
            return name, response.status_code == 200

        results = await asyncio.gather(*(probe(n, u) for n, u in self.urls.items()))
        return {
            name: {
                "reachable": reachable,
                "circuit": self.breakers[name].state.value,
                "routes": name in self.documents,
            }
            for name, reachable in results
        }
