"""Every requirement id the repository cites (C-9, T-7, ...) resolves to a sentence.

docs/REQUIREMENTS.md defines each id once, as a list entry starting ``- **C-9**``. Code,
tests and documents cite ids as one capital letter, a hyphen and a number standing alone;
a citation of an id the page does not define (a typo, a renumbered or invented id) fails
here with the file and line that makes it. Generated and installed trees (node_modules,
.local, dist, virtual environments, caches) are not sources of citations, and neither are
the page itself (its own references are checked apart) nor this file.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "docs" / "REQUIREMENTS.md"

DEFINITION = re.compile(r"^- \*\*([A-Z]-\d+)\*\* \S", re.MULTILINE)
# Not part of a longer token: SO-1, TKT-1, AES-256, UTF-8 and c-1 are no citations.
CITATION = re.compile(r"(?<![\w-])[A-Z]-\d+(?![\w-])")

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".local",
        ".venv",
        ".hypothesis",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "__pycache__",
        "node_modules",
        "dist",
        "build",
    }
)
CODE_SUFFIXES = {".py", ".ts", ".tsx", ".js", ".mjs", ".cjs", ".sh", ".html", ".css"}
TEXT_SUFFIXES = frozenset({*CODE_SUFFIXES, ".md", ".txt", ".json", ".yaml", ".yml", ".toml"})
TEXT_NAMES = frozenset({"Makefile", "Dockerfile"})
NOT_SOURCES = frozenset({REQUIREMENTS, Path(__file__).resolve()})
GENERATED_FILES = frozenset({"package-lock.json"})


def defined_ids(text: str) -> list[str]:
    """The ids the requirements page defines, in order, repeats kept."""
    return DEFINITION.findall(text)


def cited_ids(text: str) -> Iterator[tuple[int, str]]:
    """Each citation in ``text`` with its line number."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CITATION.finditer(line):
            yield number, match.group(0)


def source_files(root: Path) -> Iterator[Path]:
    """The repository's text files that may cite requirement ids."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(files):
            path = Path(folder, name)
            if name in GENERATED_FILES or path in NOT_SOURCES:
                continue
            if path.suffix in TEXT_SUFFIXES or name in TEXT_NAMES:
                yield path


def citations(root: Path) -> dict[str, list[str]]:
    """Every cited id with the ``file:line`` places citing it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in source_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for line, requirement in cited_ids(text):
            found[requirement].append(f"{path.relative_to(root)}:{line}")
    return found


def test_the_page_defines_each_requirement_id_once() -> None:
    ids = defined_ids(REQUIREMENTS.read_text(encoding="utf-8"))
    assert ids, "docs/REQUIREMENTS.md defines no id (entries start with '- **C-1** ')"
    repeated = sorted(requirement for requirement, count in Counter(ids).items() if count > 1)
    assert repeated == [], f"defined more than once in docs/REQUIREMENTS.md: {repeated}"


def test_every_cited_requirement_id_is_defined() -> None:
    defined = set(defined_ids(REQUIREMENTS.read_text(encoding="utf-8")))
    found = citations(ROOT)
    # The scan reaches the code and the console, where most citations are.
    citing_roots = {place.split("/", 1)[0] for places in found.values() for place in places}
    assert {"services", "console"} <= citing_roots, citing_roots
    undefined = {
        requirement: places for requirement, places in found.items() if requirement not in defined
    }
    assert undefined == {}, (
        "cited but not defined in docs/REQUIREMENTS.md (fix the citation or define the id): "
        + "; ".join(f"{rid} at {', '.join(places)}" for rid, places in sorted(undefined.items()))
    )


def test_the_pages_own_references_are_defined() -> None:
    text = REQUIREMENTS.read_text(encoding="utf-8")
    defined = set(defined_ids(text))
    undefined = sorted({(rid, line) for line, rid in cited_ids(text) if rid not in defined})
    assert undefined == [], f"docs/REQUIREMENTS.md refers to undefined ids: {undefined}"


def test_citations_are_told_apart_from_other_tokens() -> None:
    text = (
        "Merge duplicates (C-9); leads (S-1 to S-4), KPIs T-7.\n"
        "Order SO-1, ticket [TKT-1], AES-256, UTF-8, customers/c-1, A1048576, X-1a, S-2-b.\n"
        "Cited R-3 here."
    )
    assert list(cited_ids(text)) == [
        (1, "C-9"),
        (1, "S-1"),
        (1, "S-4"),
        (1, "T-7"),
        (3, "R-3"),
    ]


def test_a_citation_of_an_undefined_id_is_reported_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "lib.js").write_text("// C-99 of someone else\n")
    (tmp_path / "service.py").write_text('"""Merge (C-9)."""\n\n# see C-11\n')
    assert citations(tmp_path) == {"C-9": ["service.py:1"], "C-11": ["service.py:3"]}
