"""The console's built files, for a single-host platform (``make run``, the tests).

In Kubernetes and docker-compose the console is its own deployable and the ingress
sends ``/`` to it; on one machine the gateway serves the same files when
``CRM_CONSOLE_DIR`` names the build, so the console and the API share one origin
either way. Every path that is not the API's or the operations' answers
``index.html``, so a deep link (``/customers/c-42``) opens the page it names.
"""

from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from gateway.edge.pipeline import CONSOLE_ROUTE

# Strict: scripts and styles only from this origin. Ant Design writes its styles into
# <style> elements at run time, hence 'unsafe-inline' for styles (never for scripts).
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_IMMUTABLE = "public, max-age=31536000, immutable"
# Text assets are sent gzipped to a browser that accepts it (the console's own nginx
# image does the same): a signed-in screen's scripts are 1.5-1.9 MB as built.
_COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".html", ".txt", ".map"}


def _gzip_file(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), 6)


class ConsoleFiles:
    """Serves ``dist/``: hashed assets cached for a year, ``index.html`` never."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.index = self.root / "index.html"
        self._gzipped: dict[Path, bytes] = {}

    async def _gzipped_asset(self, found: Path) -> bytes:
        """The file gzipped, made once per process (hashed assets never change)."""
        body = self._gzipped.get(found)
        if body is None:
            body = await anyio.to_thread.run_sync(_gzip_file, found)
            self._gzipped[found] = body
        return body

    def _file(self, path: str) -> Path | None:
        candidate = (self.root / path.lstrip("/")).resolve()
        if candidate.is_relative_to(self.root) and candidate.is_file():
            return candidate
        return None

    async def respond(self, request: Request) -> Response:
        path = request.url.path
        found = self._file(path) if path != "/" else None
        if found is not None and found != self.index:
            if path.startswith("/assets/") and found.suffix in _COMPRESSIBLE:
                headers = {"Cache-Control": _IMMUTABLE, "Vary": "Accept-Encoding"}
                if "gzip" in request.headers.get("accept-encoding", ""):
                    headers["Content-Encoding"] = "gzip"
                    media_type = mimetypes.guess_type(found.name)[0] or "text/plain"
                    body = await self._gzipped_asset(found)
                    return Response(body, media_type=media_type, headers=headers)
                return FileResponse(found, headers=headers)
            cache = _IMMUTABLE if path.startswith("/assets/") else "no-cache"
            return FileResponse(found, headers={"Cache-Control": cache})
        if path.startswith("/assets/") or not self.index.is_file():
            return PlainTextResponse("Not found", status_code=404)
        return FileResponse(
            self.index,
            headers={"Cache-Control": "no-cache", "Content-Security-Policy": CONSOLE_CSP},
        )


def console_route(root: Path) -> Route:
    """The catch-all route; include it after every other route."""
    # The name tells the edge pipeline these are static files it lets through unchecked.
    return Route(
        "/{path:path}", ConsoleFiles(root).respond, methods=["GET", "HEAD"], name=CONSOLE_ROUTE
    )
