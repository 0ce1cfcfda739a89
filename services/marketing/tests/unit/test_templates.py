"""Templates (M-3): placeholders checked at save time, sandboxed, escaped rendering."""

from __future__ import annotations

import time

import pytest

from marketing.domain.templates import TemplateContent, TemplateError, render, validate_template


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


@pytest.mark.parametrize(
    "html",
    [
        "{% for a in range(100000) %}{% for b in range(300) %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
        "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 40 + "{{ s }}",
        "{{ 'x' * 1000 * 1000 * 1000 }}",
        "{{ 2 ** 100000000 }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ ('x' * 100000)|replace('', 'yyyyyyyyyyyyyyyyyyyy') }}",
        "{% for a in range(40000) %}{{ promotion_details }}{% endfor %}",
    ],
    ids=["nested-loops", "macro-fan-out", "doubling", "repeat", "power", "width", "replace",
         "output"],
)  # fmt: skip
def test_template_too_costly_to_render_is_refused_quickly(html: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="too costly to render"):
        validate_template(TemplateContent("Hi", html))
    assert time.perf_counter() - started < 10  # unbounded, each takes minutes or all memory


@pytest.mark.parametrize(
    "html", ["{{ 'x'.ljust(1000000000) }}", "{{ 'x'|center(1000000000) }}", "{{ lipsum(9) }}"]
)
def test_functions_that_size_their_own_result_are_not_available(html: str) -> None:
    with pytest.raises(TemplateError):
        validate_template(TemplateContent("Hi", html))


def test_ordinary_loops_filters_and_formatting_still_render() -> None:
    content = TemplateContent(
        "Hi {{ customer_name|title }}",
        "<p>{% for c in tier %}{{ loop.index }}{{ c|upper }}{% endfor %} "
        "{{ company|replace('Co.', 'Company') }} {{ '%05d' % 42 }} {{ region ~ '!' }}</p>",
    )
    validate_template(content)
    rendered = render(content, {"customer_name": "li wei", "tier": "vip", "company": "Red Co.",
                                "region": "Beijing"})  # fmt: skip
    assert rendered.subject == "Hi Li Wei"
    assert rendered.html == "<p>1V2I3P Red Company 00042 Beijing!</p>"
