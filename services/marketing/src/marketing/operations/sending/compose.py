"""Turning a rendered template into the MIME message one recipient receives.

Links in the HTML part are rewritten to signed click-redirect URLs, an open pixel is
appended, and RFC 8058 one-click unsubscribe headers are set. The Message-ID is the
delivery's stable id, the same on every attempt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate
from html import escape, unescape
from urllib.parse import quote

from marketing.domain.templates import RenderedEmail
from marketing.domain.tracking import LinkClaim, LinkKind, LinkSigner

MAIL_PREFIX = "/api/v1/mail"
_HREF = re.compile(r"(<a\s[^>]*?href=\")(https?://[^\"]+)(\")", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class MailLinks:
    """Builds the public tracking and unsubscribe URLs (served through the gateway)."""

    base_url: str
    signer: LinkSigner

    def _url(self, path: str, claim: LinkClaim) -> str:
        token = quote(self.signer.sign(claim), safe="")
        return f"{self.base_url.rstrip('/')}{MAIL_PREFIX}/{path}/{token}"

    def is_own(self, url: str) -> bool:
        return url.startswith(f"{self.base_url.rstrip('/')}{MAIL_PREFIX}/")

    def open_pixel(self, delivery_id: str) -> str:
        return self._url("open", LinkClaim(LinkKind.OPEN, delivery_id))

    def click(self, delivery_id: str, target: str) -> str:
        return self._url("click", LinkClaim(LinkKind.CLICK, delivery_id, target))

    def unsubscribe(self, delivery_id: str) -> str:
        return self._url("unsubscribe", LinkClaim(LinkKind.UNSUBSCRIBE, delivery_id))


def track_html(body: str, delivery_id: str, links: MailLinks) -> str:
    """Route every http(s) link through the click redirect and add the open pixel."""

    def rewrite(match: re.Match[str]) -> str:
        target = unescape(match.group(2))
        if links.is_own(target):  # the unsubscribe link stays as it is
            return match.group(0)
        return f"{match.group(1)}{escape(links.click(delivery_id, target))}{match.group(3)}"

    tracked = _HREF.sub(rewrite, body)
    pixel = (
        f'<img src="{escape(links.open_pixel(delivery_id))}" width="1" height="1" alt="" '
        'style="display:none">'
    )
    if _BODY_END.search(tracked):
        return _BODY_END.sub(lambda m: pixel + m.group(0), tracked, count=1)
    return tracked + pixel


@dataclass(frozen=True)
class Envelope:
    delivery_id: str
    campaign_id: str
    message_id: str
    sender: str
    recipient_name: str | None
    recipient_email: str


def compose(rendered: RenderedEmail, envelope: Envelope, links: MailLinks) -> Message:
    """The multipart/alternative message (plain text first, then HTML).

    Built with the ``compat32`` MIME classes: the modern ``EmailMessage`` parses every
    header it is given, which made composing the largest cost of a send.
    """
    unsubscribe_url = links.unsubscribe(envelope.delivery_id)
    message = MIMEMultipart("alternative")
    message["From"] = envelope.sender
    message["To"] = formataddr((envelope.recipient_name or "", envelope.recipient_email), "utf-8")
    message["Subject"] = (
        Header(rendered.subject, "utf-8").encode()
        if not rendered.subject.isascii()
        else rendered.subject
    )
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = envelope.message_id
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["X-CRM-Campaign"] = envelope.campaign_id
    message["X-CRM-Delivery"] = envelope.delivery_id
    message.attach(MIMEText(rendered.text, "plain", "utf-8"))
    html = track_html(rendered.html, envelope.delivery_id, links)
    message.attach(MIMEText(html, "html", "utf-8"))
    return message
