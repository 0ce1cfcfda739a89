"""A quote revision rendered as a PDF with reportlab (CJK-capable built-in font)."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sales.domain.quotes import Quote, QuoteRevision

FONT = "STSong-Light"  # ships with reportlab; renders Chinese and Latin text


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _money(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,.2f}"


def render_quote(quote: Quote, revision: QuoteRevision, customer_name: str | None) -> bytes:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Quote {quote.quote_number}", author="CRM sales"
    )
    header = [
        Paragraph(f"Quote {quote.quote_number} (revision {revision.number})", title),
        Spacer(1, 8),
        Paragraph(escape(f"Customer: {customer_name or quote.customer_id}"), body),
        Paragraph(f"Date: {revision.created_at.date().isoformat()}", body),
    ]
    if revision.valid_until:
        header.append(Paragraph(f"Valid until: {revision.valid_until.isoformat()}", body))
    rows: list[list[str]] = [["Product", "Qty", "Unit price", "Discount", "Amount"]]
    for line in revision.lines:
        rows.append(
            [
                line.product,
                f"{line.quantity.normalize():f}",
                _money(line.unit_price, quote.currency),
                f"{line.discount_percent.normalize():f}%",
                _money(line.net, quote.currency),
            ]
        )
    totals = revision.totals
    rows += [
        ["", "", "", "Subtotal", _money(totals.subtotal, quote.currency)],
        [
            "",
            "",
            "",
            f"Discount {revision.discount_percent.normalize():f}%",
            _money(totals.discount, quote.currency),
        ],
        [
            "",
            "",
            "",
            f"Tax {revision.tax_rate_percent.normalize():f}%",
            _money(totals.tax, quote.currency),
        ],
        ["", "", "", "Total", _money(totals.total, quote.currency)],
    ]
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEABOVE", (3, -4), (-1, -4), 0.5, colors.black),
            ]
        )
    )
    story = [*header, Spacer(1, 12), table]
    if revision.terms_text:
        story += [Spacer(1, 12), Paragraph(escape(revision.terms_text), body)]
    document.build(story)
    return buffer.getvalue()
