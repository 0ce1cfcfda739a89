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

from dataclasses import dataclass
from html import escape
from typing import Annotated

from fastapi import APIRouter, Header, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_chassis.languages import Language
from marketing.api.deps import PartsDep
from marketing.operations import tracking

router = APIRouter(prefix="/api/v1/mail", tags=["mail links (public)"])

Token = Annotated[str, Path(min_length=10, max_length=4096)]
AcceptLanguage = Annotated[
    str | None, Header(max_length=500, description="the browser's languages (RFC 9110)")
]

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


_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
</head><body><h1>{title}</h1><p>{text}</p>{form}</body></html>"""
# The pages run no script and load nothing; the form posts back to this service only.
PAGE_CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


@dataclass(frozen=True)
class PageTexts:
    title: str
    question: str
    button: str
    done_title: str
    done: str


TEXTS = {
    Language.ZH_CN: PageTexts(
        title="退订",
        question="不再接收这类邮件？",  # noqa: RUF001
        button="退订",
        done_title="已退订",
        done="您将不会再收到这类邮件。",
    ),
    Language.EN: PageTexts(
        title="Unsubscribe",
        question="Stop receiving these emails?",
        button="Unsubscribe",
        done_title="Unsubscribed",
        done="You will not receive these emails again.",
    ),
}


def _page(language: Language, title: str, text: str, form: str = "") -> HTMLResponse:
    body = _PAGE.format(lang=language.value, title=title, text=text, form=form)
    headers = {**NO_STORE, "Content-Security-Policy": PAGE_CSP, "Content-Language": language}
    return HTMLResponse(body, headers=headers)


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_page(
    token: Token, parts: PartsDep, accept_language: AcceptLanguage = None
) -> HTMLResponse:
    """Asks before unsubscribing, in the recipient's language when known, else the
    browser's."""
    language = await tracking.unsubscribe_language(parts, token, accept_language)
    texts = TEXTS[language]
    form = (
        f'<form method="post" action="{escape(token)}">'
        f'<button type="submit">{texts.button}</button></form>'
    )
    return _page(language, texts.title, texts.question, form)


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe(
    token: Token, parts: PartsDep, accept_language: AcceptLanguage = None
) -> HTMLResponse:
    """One-click unsubscribe (RFC 8058); repeating it changes nothing."""
    language = await tracking.unsubscribe(parts, token, accept_language)
    texts = TEXTS[language]
    return _page(language, texts.done_title, texts.done)
