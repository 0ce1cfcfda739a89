"""A quote revision rendered as a PDF with reportlab (CJK-capable built-in font), its
labels in the customer's language (Chinese or English)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from crm_chassis.languages import Language
from sales.domain.quotes import Quote, QuoteRevision

FONT = "STSong-Light"  # ships with reportlab; renders Chinese and Latin text


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@dataclass(frozen=True)
class Labels:
    """The words of a quote PDF; ``{…}`` fields are filled in when rendering."""

    title: str  # {number}
    heading: str  # {number}, {revision}
    customer: str
    date: str
    valid_until: str
    product: str
    quantity: str
    unit_price: str
    discount: str
    amount: str
    subtotal: str
    discount_rate: str  # {percent}
    tax: str  # {percent}
    total: str


LABELS = {
    Language.ZH_CN: Labels(
        title="报价单 {number}",
        heading="报价单 {number}（第 {revision} 版）",  # noqa: RUF001
        customer="客户：{name}",  # noqa: RUF001
        date="日期：{date}",  # noqa: RUF001
        valid_until="有效期至：{date}",  # noqa: RUF001
        product="产品",
        quantity="数量",
        unit_price="单价",
        discount="折扣",
        amount="金额",
        subtotal="小计",
        discount_rate="折扣 {percent}%",
        tax="税额 {percent}%",
        total="总计",
    ),
    Language.EN: Labels(
        title="Quote {number}",
        heading="Quote {number} (revision {revision})",
        customer="Customer: {name}",
        date="Date: {date}",
        valid_until="Valid until: {date}",
        product="Product",
        quantity="Qty",
        unit_price="Unit price",
        discount="Discount",
        amount="Amount",
        subtotal="Subtotal",
        discount_rate="Discount {percent}%",
        tax="Tax {percent}%",
        total="Total",
    ),
}


def _money(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,.2f}"


def render_quote(
    quote: Quote, revision: QuoteRevision, customer_name: str | None, language: Language
) -> bytes:
    words = LABELS[language]
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=words.title.format(number=quote.quote_number),
        author="CRM sales",
        lang=language.value,
    )
    heading = words.heading.format(number=quote.quote_number, revision=revision.number)
    header = [
        Paragraph(escape(heading), title),
        Spacer(1, 8),
        Paragraph(escape(words.customer.format(name=customer_name or quote.customer_id)), body),
        Paragraph(escape(words.date.format(date=revision.created_at.date().isoformat())), body),
    ]
    if revision.valid_until:
        until = words.valid_until.format(date=revision.valid_until.isoformat())
        header.append(Paragraph(escape(until), body))
    rows: list[list[str]] = [
        [words.product, words.quantity, words.unit_price, words.discount, words.amount]
    ]
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
        ["", "", "", words.subtotal, _money(totals.subtotal, quote.currency)],
        [
            "",
            "",
            "",
            words.discount_rate.format(percent=f"{revision.discount_percent.normalize():f}"),
            _money(totals.discount, quote.currency),
        ],
        [
            "",
            "",
            "",
            words.tax.format(percent=f"{revision.tax_rate_percent.normalize():f}"),
            _money(totals.tax, quote.currency),
        ],
        ["", "", "", words.total, _money(totals.total, quote.currency)],
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
