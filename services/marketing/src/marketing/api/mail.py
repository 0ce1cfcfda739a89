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

from crm_chassis.errors import NotFound
from crm_chassis.service import RuntimeDep
from marketing.api.deps import LinksDep, utc_now
from marketing.domain import deliveries as rules
from marketing.domain.consent import subscription_changed
from marketing.domain.tracking import InvalidToken, LinkClaim, LinkKind
from marketing.store import campaigns, consent, deliveries

router = APIRouter(prefix="/api/v1/mail", tags=["mail links (public)"])

Token = Annotated[str, Path(min_length=10, max_length=4096)]

PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
NO_STORE = {"Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer"}


def _claim(links: LinksDep, token: str, kind: LinkKind) -> LinkClaim:
    try:
        return links.signer.verify(token, kind)
    except InvalidToken:
        raise NotFound("This link is not valid.") from None


@router.get(
    "/open/{token}", response_class=Response, responses={200: {"content": {"image/gif": {}}}}
)
async def open_pixel(token: Token, runtime: RuntimeDep, links: LinksDep) -> Response:
    claim = _claim(links, token, LinkKind.OPEN)
    delivery = await deliveries.find(runtime.db, claim.delivery_id)
    if delivery is not None:
        now = utc_now()
        event = rules.opened_event(
            delivery["_id"], delivery["campaign_id"], delivery["customer_id"], now
        )
        if await deliveries.record_open(runtime.db, delivery["_id"], now, [event]):
            await campaigns.mark_metrics_dirty(runtime.db, [delivery["campaign_id"]])
            runtime.notify_outbox()
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get("/click/{token}", status_code=302, response_class=RedirectResponse)
async def click(token: Token, runtime: RuntimeDep, links: LinksDep) -> RedirectResponse:
    claim = _claim(links, token, LinkKind.CLICK)
    assert claim.url is not None
    delivery = await deliveries.find(runtime.db, claim.delivery_id)
    if delivery is None:  # only mail this service sent redirects anywhere
        raise NotFound("This link is not valid.")
    now = utc_now()
    event = rules.clicked_event(
        delivery["_id"], delivery["campaign_id"], delivery["customer_id"], claim.url, now
    )
    if await deliveries.record_click(runtime.db, delivery["_id"], now, [event]):
        await campaigns.mark_metrics_dirty(runtime.db, [delivery["campaign_id"]])
        runtime.notify_outbox()
    return RedirectResponse(claim.url, status_code=302, headers=NO_STORE)


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p>{form}</body></html>"""


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_page(token: Token, links: LinksDep) -> HTMLResponse:
    _claim(links, token, LinkKind.UNSUBSCRIBE)
    form = (
        f'<form method="post" action="{escape(token)}">'
        '<button type="submit">Unsubscribe</button></form>'
    )
    body = _PAGE.format(title="Unsubscribe", text="Stop receiving these emails?", form=form)
    return HTMLResponse(body, headers=NO_STORE)


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe(token: Token, runtime: RuntimeDep, links: LinksDep) -> HTMLResponse:
    """One-click unsubscribe (RFC 8058); repeating it changes nothing."""
    claim = _claim(links, token, LinkKind.UNSUBSCRIBE)
    delivery = await deliveries.find(runtime.db, claim.delivery_id)
    if delivery is None:
        raise NotFound("This link is not valid.")
    now = utc_now()
    channel = delivery.get("channel", "email")
    email = delivery.get("email")
    event = subscription_changed(delivery["customer_id"], email, channel, False, now)
    await consent.set_subscription(
        runtime.db, delivery["customer_id"], email, channel, False, "one_click", now, [event]
    )
    runtime.notify_outbox()
    body = _PAGE.format(
        title="Unsubscribed", text="You will not receive these emails again.", form=""
    )
    return HTMLResponse(body, headers=NO_STORE)
