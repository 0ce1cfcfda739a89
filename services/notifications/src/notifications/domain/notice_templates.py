# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation)
"""The texts of customer notices: one template (subject and body) per kind and language,
editable by administrators, with the defaults shipped here.

A template is plain text with ``${name}`` (or ``$name``) placeholders, ``$$`` for a
dollar sign, as :class:`string.Template` reads it: nothing in a template is evaluated,
so an administrator's text can only quote the values of its kind's fixed variable list
(:data:`VARIABLES`). A placeholder outside that list, or a ``$`` that starts no
placeholder, is refused when the template is saved, naming the field it is in.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from crm_chassis.domain_errors import RuleViolation
from notifications.domain.alerts import Language

SUBJECT_MAX = 200
BODY_MAX = 10_000


class NoticeKind(StrEnum):
    PAYMENT_REMINDER = "payment_reminder"
    OVERDUE_NOTICE = "overdue_notice"
    ORDER_STATUS = "order_status"
    TICKET_ACKNOWLEDGEMENT = "ticket_acknowledgement"


_INVOICE = ("customer_name", "invoice_number", "order_number", "amount", "currency", "due_date")

# What each kind's template may quote.
VARIABLES: Mapping[NoticeKind, tuple[str, ...]] = {
    NoticeKind.PAYMENT_REMINDER: (*_INVOICE, "days_until_due"),
    NoticeKind.OVERDUE_NOTICE: (*_INVOICE, "days_overdue"),
    NoticeKind.ORDER_STATUS: ("customer_name", "order_number", "status"),
    NoticeKind.TICKET_ACKNOWLEDGEMENT: (
        "customer_name",
        "ticket_id",
        "subject",
        "first_response_due",
    ),
}


@dataclass(frozen=True)
class NoticeTemplate:
    subject: str
    body: str


DEFAULT_TEMPLATES: Mapping[NoticeKind, Mapping[Language, NoticeTemplate]] = {
    NoticeKind.PAYMENT_REMINDER: {
        Language.ZH_CN: NoticeTemplate(
            "付款提醒：发票 ${invoice_number} 将于 ${due_date} 到期",
            "${customer_name}，您好：\n\n"
            "您的发票 ${invoice_number}（订单 ${order_number}）待付金额为 "
            "${amount} ${currency}，将于 ${days_until_due} 天后（${due_date}）到期。\n"
            "如您已付款，请忽略本邮件。\n\n谢谢！",
        ),
        Language.EN: NoticeTemplate(
            "Payment reminder: invoice ${invoice_number} is due on ${due_date}",
            "Dear ${customer_name},\n\n"
            "${amount} ${currency} is open on invoice ${invoice_number} "
            "(order ${order_number}), due in ${days_until_due} day(s), on ${due_date}.\n"
            "If you have already paid, please ignore this message.\n\nThank you.",
        ),
    },
    NoticeKind.OVERDUE_NOTICE: {
        Language.ZH_CN: NoticeTemplate(
            "逾期通知：发票 ${invoice_number} 已逾期 ${days_overdue} 天",
            "${customer_name}，您好：\n\n"
            "您的发票 ${invoice_number}（订单 ${order_number}）已于 ${due_date} 到期，"
            "目前已逾期 ${days_overdue} 天，待付金额为 ${amount} ${currency}。\n"
            "请尽快安排付款；如您已付款，请忽略本邮件。\n\n谢谢！",
        ),
        Language.EN: NoticeTemplate(
            "Overdue: invoice ${invoice_number} is ${days_overdue} day(s) past due",
            "Dear ${customer_name},\n\n"
            "Invoice ${invoice_number} (order ${order_number}) was due on ${due_date} "
            "and is now ${days_overdue} day(s) overdue; ${amount} ${currency} is open.\n"
            "Please arrange payment soon. If you have already paid, please ignore this "
            "message.\n\nThank you.",
        ),
    },
    NoticeKind.ORDER_STATUS: {
        Language.ZH_CN: NoticeTemplate(
            "订单 ${order_number} ${status}",
            "${customer_name}，您好：\n\n您的订单 ${order_number} ${status}。\n\n谢谢！",
        ),
        Language.EN: NoticeTemplate(
            "Your order ${order_number} has been ${status}",
            "Dear ${customer_name},\n\nYour order ${order_number} has been ${status}.\n\n"
            "Thank you.",
        ),
    },
    NoticeKind.TICKET_ACKNOWLEDGEMENT: {
        Language.ZH_CN: NoticeTemplate(
            "我们已收到您的问题：${subject}",
            "${customer_name}，您好：\n\n"
            "我们已收到您的问题「${subject}」（工单号 ${ticket_id}）。\n"
            "预计首次回复时间：${first_response_due}。\n\n谢谢！",
        ),
        Language.EN: NoticeTemplate(
            "We have received your request: ${subject}",
            "Dear ${customer_name},\n\n"
            "We have received your request “${subject}” (ticket ${ticket_id}).\n"
            "Expected first response: ${first_response_due}.\n\nThank you.",
        ),
    },
}

# How an order's new status reads inside the order_status template.
ORDER_STATUS_TEXTS: Mapping[str, Mapping[Language, str]] = {
    "confirmed": {Language.ZH_CN: "已确认", Language.EN: "confirmed"},
    "shipped": {Language.ZH_CN: "已发货", Language.EN: "shipped"},
    "delivered": {Language.ZH_CN: "已送达", Language.EN: "delivered"},
}
NOTIFIED_ORDER_STATUSES = frozenset(ORDER_STATUS_TEXTS)

# first_response_due when the ticket's event did not say.
NO_DEADLINE_TEXT: Mapping[Language, str] = {
    Language.ZH_CN: "我们会尽快回复",
    Language.EN: "as soon as we can",
}


def placeholders(text: str) -> list[str]:
    """The names ``text`` quotes; ValueError naming where (counting from 1) a ``$``
    starts no placeholder."""
    template = string.Template(text)
    if not template.is_valid():
        for match in template.pattern.finditer(text):
            if match.group("invalid") is not None:
                raise ValueError(
                    f"the '$' at character {match.start() + 1} starts no placeholder "
                    "(write $$ for a dollar sign, ${name} for a value)"
                )
    return list(dict.fromkeys(template.get_identifiers()))


def check_template(kind: NoticeKind, template: NoticeTemplate) -> None:
    """Refuse (naming ``subject`` or ``body``) a template that quotes what its kind does
    not offer, misuses ``$``, or is empty or too long."""
    allowed = VARIABLES[kind]
    for field, text, limit in (
        ("subject", template.subject, SUBJECT_MAX),
        ("body", template.body, BODY_MAX),
    ):
        if not text.strip():
            raise RuleViolation(f"The {field} must not be empty.", field=field)
        if len(text) > limit:
            raise RuleViolation(f"The {field} may be at most {limit} characters.", field=field)
        if field == "subject" and ("\n" in text or "\r" in text):
            raise RuleViolation("The subject must be one line.", field=field)
        try:
            names = placeholders(text)
        except ValueError as error:
            raise RuleViolation(
                f"The {field} is not a valid template: {error}.", field=field
            ) from None
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise RuleViolation(
                f"The {field} uses unknown placeholder(s) {', '.join(unknown)}; "
                f"a {kind.value} template may use {', '.join(allowed)}.",
                field=field,
            )


def render(template: NoticeTemplate, values: Mapping[str, str]) -> tuple[str, str]:
    """Subject and body with ``values`` filled in; a value never breaks the subject's
    one line."""
    one_line = {name: " ".join(value.split()) for name, value in values.items()}
    subject = string.Template(template.subject).safe_substitute(one_line)
    body = string.Template(template.body).safe_substitute(values)
    return subject, body
