"""``/api/v1/mail``: the public links inside sent emails (no login; signed tokens).

* ``GET open/{token}``: the open pixel (a 1x1 GIF) records the first open;
* ``GET click/{token}``: records the click and redirects to the URL sealed in the
  token, for a delivery that exists (no open redirect: an unsigned or altered URL, or a
  link naming no delivery, gets 404);
* ``GET unsubscribe/{token}``: a confirmation page (link scanners prefetch GETs, so
  a GET never unsubscribes); ``POST unsubscribe/{token}``: RFC 8058 one-click
  unsubscribe, as mail clients send it from the ``List-Unsubscribe-Post`` header.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from marketing.api.deps import PartsDep
from marketing.domain.tracking import LinkKind
from marketing.operations import tracking

router = APIRouter(prefix="/api/v1/mail", tags=["mail links (public)"])

Token = Annotated[str, Path(min_length=10, max_length=4096)]

PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
NO_STORE = {"Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer"}


@router.get(
    "/open/{token}", response_class=Response, responses={200: {"content": {"image/gif": {}}}}
)
async def open_pixel(token: Token, parts: PartsDep) -> Response:
    await tracking.record_open(parts, token)
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get("/click/{token}", status_code=302, response_class=RedirectResponse)
async def click(token: Token, parts: PartsDep) -> RedirectResponse:
    target = await tracking.record_click(parts, token)
    return RedirectResponse(target, status_code=302, headers=NO_STORE)


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p>{form}</body></html>"""


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_page(token: Token, parts: PartsDep) -> HTMLResponse:
    tracking.claim_of(parts, token, LinkKind.UNSUBSCRIBE)
    form = (
        f'<form method="post" action="{escape(token)}">'
        '<button type="submit">Unsubscribe</button></form>'
    )
    body = _PAGE.format(title="Unsubscribe", text="Stop receiving these emails?", form=form)
    return HTMLResponse(body, headers=NO_STORE)


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe(token: Token, parts: PartsDep) -> HTMLResponse:
    """One-click unsubscribe (RFC 8058); repeating it changes nothing."""
    await tracking.unsubscribe(parts, token)
    body = _PAGE.format(
        title="Unsubscribed", text="You will not receive these emails again.", form=""
    )
    return HTMLResponse(body, headers=NO_STORE)
