"""Which language a customer-facing page or mail is written in."""

from __future__ import annotations

import pytest

from crm_chassis.languages import Language, accepted_language, choose_language, known_language


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh-CN", Language.ZH_CN),
        ("zh", Language.ZH_CN),
        ("ZH-hans", Language.ZH_CN),
        ("zh_TW", Language.ZH_CN),
        ("en", Language.EN),
        ("en-GB", Language.EN),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_a_tag_names_one_of_our_languages_or_none(
    tag: str | None, language: Language | None
) -> None:
    assert known_language(tag) == language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", Language.ZH_CN),
        ("en-US,en;q=0.9", Language.EN),
        ("fr-FR, en;q=0.5, zh;q=0.7", Language.ZH_CN),
        ("zh;q=0, en;q=0.1", Language.EN),
        ("zh;q=0.5, en;q=0.5", Language.ZH_CN),
        ("en;q=bad, zh;q=0.2", Language.ZH_CN),
        ("fr, de", None),
        ("", None),
        (None, None),
    ],
)
def test_the_browsers_best_weighted_language_of_ours(
    header: str | None, language: Language | None
) -> None:
    assert accepted_language(header) == language


def test_the_customers_language_wins_then_the_browsers_then_chinese() -> None:
    assert choose_language("en", "zh-CN") is Language.EN
    assert choose_language("zh-CN", "en") is Language.ZH_CN
    assert choose_language(None, "en-US") is Language.EN
    assert choose_language("fr", "en-US") is Language.EN
    assert choose_language(None, "fr") is Language.ZH_CN
    assert choose_language(None, None) is Language.ZH_CN
