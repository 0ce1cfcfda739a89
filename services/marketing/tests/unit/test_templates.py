"""Templates (M-3): placeholders checked at save time, sandboxed, escaped rendering."""

from __future__ import annotations

import pytest

from marketing.domain.errors import TemplateError
from marketing.domain.templates import TemplateContent, render, validate_template


def test_unknown_placeholder_is_named_in_the_error() -> None:
    with pytest.raises(TemplateError) as error:
        validate_template(TemplateContent("Hi", "<p>{{ discount_code }}</p>"))
    assert error.value.field == "html"
    assert "discount_code" in error.value.message


def test_syntax_error_is_refused() -> None:
    with pytest.raises(TemplateError) as error:
        validate_template(TemplateContent("Hi {{ customer_name", "<p>x</p>"))
    assert error.value.field == "subject"


def test_sandbox_refuses_reaching_internals() -> None:
    content = TemplateContent("Hi", "{{ customer_name.__class__.__subclasses__() }}")
    with pytest.raises(TemplateError):
        validate_template(content)


def test_values_are_html_escaped_in_html_but_not_in_subject_or_text() -> None:
    content = TemplateContent(
        "Hi {{ customer_name }}", "<p>{{ customer_name }}</p>", "Hi {{ customer_name }}"
    )
    rendered = render(content, {"customer_name": "Tom & <Jerry>"})
    assert rendered.html == "<p>Tom &amp; &lt;Jerry&gt;</p>"
    assert rendered.subject == "Hi Tom & <Jerry>"
    assert rendered.text == "Hi Tom & <Jerry>"


def test_plain_text_is_derived_from_html_with_link_targets() -> None:
    content = TemplateContent(
        "s", '<p>Dear {{ customer_name }},</p><p><a href="https://x.example.org/a">Buy</a></p>'
    )
    rendered = render(content, {"customer_name": "Li"})
    assert rendered.text == "Dear Li,\nBuy (https://x.example.org/a)\n"
