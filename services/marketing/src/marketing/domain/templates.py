"""Email templates (M-3): placeholders rendered in Jinja2's sandbox with HTML escaping.

A template may use only the variables in :data:`TEMPLATE_VARIABLES`; anything else
is refused when the template is saved (with the variable's name), so a campaign
never sends a broken email. Rendering uses ``StrictUndefined`` and the immutable
sandbox, so a template cannot call methods that change state or reach internals, and
every render runs under a budget of steps, time and size (:mod:`.template_sandbox`), so
a template cannot keep the service busy either.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Template, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from pydantic import BaseModel

from crm_chassis.domain_errors import RuleViolation
from marketing.domain.template_sandbox import (
    BudgetedSandbox,
    RenderBudgetExceeded,
    render_budget,
    render_within_budget,
)


class TemplateError(RuleViolation):
    """A template that cannot be rendered safely (syntax, unknown variable, sandbox)."""


TEMPLATE_VARIABLES: dict[str, str] = {
    "customer_name": "The recipient's name",
    "company": "The recipient's company",
    "tier": "The recipient's member tier (normal, vip, svip)",
    "region": "The recipient's region",
    "campaign_name": "The campaign's name",
    "promotion_details": "The campaign's promotion text",
    "unsubscribe_url": "One-click unsubscribe link for this recipient",
}

SAMPLE_CUSTOMER: dict[str, str] = {
    "customer_name": "Li Wei",
    "company": "Example Trading Co.",
    "tier": "vip",
    "region": "Beijing",
    "campaign_name": "Spring launch",
    "promotion_details": "20% off every order until the end of the month",
    "unsubscribe_url": "https://crm.example.org/unsubscribe",
}


@dataclass(frozen=True)
class TemplateContent:
    subject: str
    html: str
    text: str | None = None


class EmailTemplate(BaseModel):
    id: str
    name: str
    subject: str
    html: str
    text: str | None = None
    owner_id: str | None = None
    team: str | None = None
    version: int = 1
    created_at: datetime
    updated_at: datetime

    def content(self) -> TemplateContent:
        return TemplateContent(self.subject, self.html, self.text)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


_HTML_ENV = BudgetedSandbox(autoescape=True)
_TEXT_ENV = BudgetedSandbox(autoescape=False)


def _check_part(source: str, field: str, env: BudgetedSandbox) -> None:
    try:
        parsed = env.parse(source)
        # compiles the template: an unknown filter or test is refused here
        declared = meta.find_undeclared_variables(parsed)
    except TemplateSyntaxError as error:
        raise TemplateError(
            f"Template syntax error on line {error.lineno}: {error.message}.", field=field
        ) from None
    unknown = declared - TEMPLATE_VARIABLES.keys()
    if unknown:
        names = ", ".join(sorted(unknown))
        raise TemplateError(
            f"Unknown placeholder(s) {names}; use only {', '.join(TEMPLATE_VARIABLES)}.",
            field=field,
        )


def validate_template(content: TemplateContent) -> None:
    """Refuse a template that would fail or misbehave when sent (checked at save time)."""
    _check_part(content.subject, "subject", _TEXT_ENV)
    _check_part(content.html, "html", _HTML_ENV)
    if content.text is not None:
        _check_part(content.text, "text", _TEXT_ENV)
    render(content, SAMPLE_CUSTOMER)


class CompiledTemplate:
    """A template parsed once and rendered for many recipients (the send path)."""

    def __init__(self, content: TemplateContent) -> None:
        self._subject = _compile(content.subject, _TEXT_ENV, "subject")
        self._html = _compile(content.html, _HTML_ENV, "html")
        self._text = None if content.text is None else _compile(content.text, _TEXT_ENV, "text")

    def render(self, values: dict[str, Any]) -> RenderedEmail:
        """Render subject, HTML and plain text; without a text part, derive it from the HTML.
        The three parts share one render budget."""
        complete = {name: values.get(name) or "" for name in TEMPLATE_VARIABLES}
        with render_budget():
            subject = _render_part(self._subject, complete, "subject")
            body = _render_part(self._html, complete, "html")
            text = (
                html_to_text(body)
                if self._text is None
                else _render_part(self._text, complete, "text")
            )
        return RenderedEmail(subject=" ".join(subject.split()), html=body, text=text)


def render(content: TemplateContent, values: dict[str, Any]) -> RenderedEmail:
    return CompiledTemplate(content).render(values)


def _compile(source: str, env: BudgetedSandbox, field: str) -> Template:
    try:
        return env.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateError(f"Template syntax error: {error.message}.", field=field) from None


def _render_part(template: Template, values: dict[str, Any], field: str) -> str:
    try:
        return render_within_budget(template.generate(values))
    except UndefinedError as error:
        raise TemplateError(f"Missing value: {error.message}.", field=field) from None
    except RenderBudgetExceeded as error:
        raise TemplateError(
            f"The template is too costly to render: {error}.", field=field
        ) from None
    except RecursionError:
        raise TemplateError("The template calls itself too deeply.", field=field) from None
    except SecurityError as error:
        raise TemplateError(f"Not allowed in a template: {error}.", field=field) from None
    except (TypeError, ValueError, ArithmeticError) as error:
        raise TemplateError(f"Template failed to render: {error}.", field=field) from None


_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|table)>|<br\s*/?>", re.IGNORECASE)
_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(body: str) -> str:
    """A readable plain-text alternative: block ends become lines, links keep their URL."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", body)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"
