"""Signed mail links (no open redirect) and the composed MIME message (M-4, M-5)."""

from __future__ import annotations

import pytest

from marketing.domain.templates import RenderedEmail
from marketing.domain.tracking import InvalidToken, LinkClaim, LinkKind, LinkSigner
from marketing.operations.sending.compose import Envelope, MailLinks, compose, track_html

SIGNER = LinkSigner("unit-test-secret-0123456789")
LINKS = MailLinks("https://crm.example.org", SIGNER)


def test_a_signed_click_token_carries_its_exact_url() -> None:
    token = SIGNER.sign(LinkClaim(LinkKind.CLICK, "d1", "https://shop.example.org/?a=1"))
    claim = SIGNER.verify(token, LinkKind.CLICK)
    assert claim.url == "https://shop.example.org/?a=1"
    assert claim.delivery_id == "d1"


def test_a_tampered_token_is_refused() -> None:
    token = SIGNER.sign(LinkClaim(LinkKind.CLICK, "d1", "https://shop.example.org/"))
    mac = token.split(".")[1]
    forged = SIGNER.sign(LinkClaim(LinkKind.CLICK, "d1", "https://evil.example.net/"))
    with pytest.raises(InvalidToken):
        SIGNER.verify(f"{forged.split('.')[0]}.{mac}", LinkKind.CLICK)
    with pytest.raises(InvalidToken):
        LinkSigner("another-secret-0123456789").verify(token, LinkKind.CLICK)


@pytest.mark.parametrize(
    "url",
    [None, "javascript:alert(1)", "//evil.example.net/", "https://", "https://a.example/\r\nX: y"],
)
def test_a_genuine_click_token_redirects_only_to_an_absolute_http_url(url: str | None) -> None:
    token = SIGNER.sign(LinkClaim(LinkKind.CLICK, "d1", url))
    with pytest.raises(InvalidToken):
        SIGNER.verify(token, LinkKind.CLICK)


def test_a_token_made_for_opens_cannot_unsubscribe() -> None:
    token = SIGNER.sign(LinkClaim(LinkKind.OPEN, "d1"))
    with pytest.raises(InvalidToken):
        SIGNER.verify(token, LinkKind.UNSUBSCRIBE)


def test_links_are_tracked_and_the_pixel_added_but_unsubscribe_stays_direct() -> None:
    unsubscribe = LINKS.unsubscribe("d1")
    html = (
        f'<html><body><a href="https://shop.example.org/x?a=1&amp;b=2">Shop</a>'
        f'<a href="{unsubscribe}">Leave</a></body></html>'
    )
    tracked = track_html(html, "d1", LINKS)
    assert "https://crm.example.org/api/v1/mail/click/" in tracked
    assert 'href="https://shop.example.org' not in tracked
    assert f'href="{unsubscribe}"' in tracked
    assert tracked.index("/api/v1/mail/open/") < tracked.index("</body>")


def test_message_has_one_click_unsubscribe_headers_and_a_stable_message_id() -> None:
    envelope = Envelope(
        "d1", "c1", "<d1@crm.example.org>", "CRM <m@crm.example.org>", "Li Wei", "li@example.org"
    )
    message = compose(RenderedEmail("Hello", "<p>Hi</p>", "Hi\n"), envelope, LINKS)
    assert message["Message-ID"] == "<d1@crm.example.org>"
    assert message["List-Unsubscribe"] == f"<{LINKS.unsubscribe('d1')}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = [part.get_content_type() for part in message.get_payload()]  # type: ignore[union-attr]
    assert parts == ["text/plain", "text/html"]
