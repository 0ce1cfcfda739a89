# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation)
"""What customers read from support, in both languages we write in, and which one a
ticket's replies use."""

from __future__ import annotations

from crm_chassis.languages import DEFAULT_LANGUAGE, Language, known_language

FORM_RECEIPT = {
    Language.ZH_CN: "谢谢，我们已收到您的请求。",
    Language.EN: "Thank you, we have received your request.",
}

# The last line of a reply mail; {reference} is the ticket's.
REPLY_FOOTER = {
    Language.ZH_CN: "工单编号 {reference}：如需补充，直接回复此邮件即可。",
    Language.EN: "Reference {reference}: reply to this e-mail.",
}


def reply_language(customer_language: str | None, requester_language: str | None) -> Language:
    """The customer's language when the ticket's customer has one, else the one the
    requester wrote the web form in, else zh-CN."""
    return (
        known_language(customer_language) or known_language(requester_language) or DEFAULT_LANGUAGE
    )
