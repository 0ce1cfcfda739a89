"""The languages customers are written to in (zh-CN, en) and how one is chosen.

A customer's ``language`` field (customer events, services' local copies) wins when it
names one of ours; otherwise the browser's ``Accept-Language`` (RFC 9110 §12.5.4: the
highest weight first, a ``zh-…`` tag means Chinese, ``en-…`` English); otherwise the
platform's default, zh-CN. The same rule as the notifications service's customer mail.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


DEFAULT_LANGUAGE = Language.ZH_CN


def known_language(value: str | None) -> Language | None:
    """The language a tag names (``zh``, ``zh-CN``, ``zh-Hans``, ``en``, ``en-GB``, any
    case), or None for no tag or one we do not write in."""
    primary = (value or "").strip().split("-", 1)[0].split("_", 1)[0].lower()
    if primary == "zh":
        return Language.ZH_CN
    if primary == "en":
        return Language.EN
    return None


def _weight(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value.strip())))
            except ValueError:
                return 0.0
    return 1.0


def accepted_language(accept_language: str | None) -> Language | None:
    """The best of our languages an ``Accept-Language`` header asks for, or None."""
    ranked: list[tuple[float, int, Language]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, *parameters = item.split(";")
        language = known_language(tag)
        weight = _weight(parameters)
        if language is not None and weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else None


def choose_language(known: str | None, accept_language: str | None = None) -> Language:
    """The customer's language when known, else the browser's, else the default."""
    return known_language(known) or accepted_language(accept_language) or DEFAULT_LANGUAGE
