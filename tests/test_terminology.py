"""The glossary is the source of the Chinese terms: Chinese text uses them, never a variant.

`site/glossary_terms.toml` lists the glossary's rows and, for each term, the
wrong variants to look for. The list and both glossary pages agree row for row.
The Chinese lesson pages, task statements, messages (`grader/messages/`), the
titles and hints of `course.toml` and the figures' labels must hold no variant;
a failure names every finding.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

import grader.messages
from grader import statements
from tests.conftest import ROOT

TERMS_FILE = ROOT / "site" / "glossary_terms.toml"
DOCS = ROOT / "site" / "docs"
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    en: str
    zh: str
    variants: tuple[str, ...]
    allow: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        """The Chinese words the term stands for (`留出集/验证集` is two)."""
        return self.zh.split("/")


def load_terms() -> list[Term]:
    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    return [
        Term(entry["en"], entry["zh"], tuple(entry.get("variants", ())), tuple(entry.get("allow", ())))
        for entry in data["terms"]
    ]


TERMS = load_terms()


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    variant: str
    term: Term
    context: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.variant} → {self.term.zh} ({self.term.en}): …{self.context}…"


def _inside(text: str, word: str, start: int, end: int) -> bool:
    """Is text[start:end] part of an occurrence of `word`?"""
    lowest = max(0, end - len(word))
    for offset in range(lowest, start + 1):
        if text.startswith(word, offset):
            return True
    return False


def variants_in(text: str, where: str = "", first_line: int = 1) -> list[Finding]:
    """Every variant in `text` that is not part of a glossary term or of an allowed word."""
    terms_words = [word for term in TERMS for word in term.words]
    spans = []
    for term in TERMS:
        excused = terms_words + list(term.allow)
        for variant in term.variants:
            for match in re.finditer(re.escape(variant), text):
                start, end = match.span()
                if not any(_inside(text, word, start, end) for word in excused if word != variant):
                    spans.append((start, end, term, variant))
    # Where variants overlap (批次大小 holds 批次), the longest one speaks.
    kept = [
        span
        for span in spans
        if not any(other[0] <= span[0] and span[1] <= other[1] and other[1] - other[0] > span[1] - span[0] for other in spans)
    ]
    return [
        Finding(where, first_line + text.count("\n", 0, start), variant, term, text[max(0, start - 12) : end + 12].replace("\n", " "))
        for start, end, term, variant in sorted(kept, key=lambda span: span[0])
    ]


def report(findings: list[Finding]) -> str:
    return "glossary variants (site/glossary_terms.toml):\n" + "\n".join(str(finding) for finding in findings)


def glossary_rows(lang: str) -> list[tuple[str, str]]:
    """The first two cells of each row of a glossary page's term table (the table before `## …`)."""
    rows = []
    for line in (DOCS / lang / "glossary.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            break
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("English", "") or set(cells[0]) <= set("-: "):
            continue
        rows.append((cells[0], cells[1]))
    return rows


# ---- the list and the glossary pages


def test_every_term_of_the_list_is_on_the_chinese_glossary_page():
    rows = glossary_rows("zh")
    missing = [f"{term.en} | {term.zh}" for term in TERMS if (term.en, term.zh) not in rows]
    assert missing == [], f"site/docs/zh/glossary.md lacks rows of site/glossary_terms.toml: {missing}"


def test_the_glossary_pages_hold_the_list_row_for_row():
    listed = [(term.en, term.zh) for term in TERMS]
    for lang in ("zh", "en"):
        assert glossary_rows(lang) == listed, f"site/docs/{lang}/glossary.md and site/glossary_terms.toml disagree"


def test_a_variant_is_never_a_term():
    words = {word for term in TERMS for word in term.words}
    for term in TERMS:
        for variant in term.variants:
            assert variant not in words, f"{variant} is listed as a variant of {term.zh} and as a term"


def test_the_finder_skips_terms_and_allowed_words_and_names_the_longest_variant():
    assert variants_in("学习率调度器每个轮次调用一次；周期性地调整") == []
    assert [finding.variant for finding in variants_in("调度器在每个批次之后调用，批次大小为 32")] == ["调度器", "批次", "批次大小"]
    assert [finding.line for finding in variants_in("第一行\n用自动求导", "x")] == [2]


# ---- texts this project fixes


def chinese_pages() -> list[Path]:
    return sorted((DOCS / "zh").rglob("*.md"))


@pytest.mark.parametrize("page", chinese_pages(), ids=lambda page: str(page.relative_to(DOCS / "zh")))
def test_the_chinese_lesson_pages_use_the_glossary_terms(page):
    where = str(page.relative_to(ROOT))
    assert variants_in(page.read_text(encoding="utf-8"), where) == [], report(variants_in(page.read_text(encoding="utf-8"), where))


def test_the_chinese_statements_use_the_glossary_terms(course):
    findings = []
    for module, name in statements.needed(course):
        text = statements.statement(module, name, "zh")
        findings += variants_in(text, f"solutions/i18n/{module}.zh.toml [{name}]")
    assert findings == [], report(findings)


# ---- the messages, course.toml and the figures


def message_sources() -> list[str]:
    return [f"grader/messages/{info.name}.py" for info in pkgutil.iter_modules(grader.messages.__path__)]


@pytest.mark.parametrize("source", message_sources())
def test_the_chinese_messages_use_the_glossary_terms(source):
    module = importlib.import_module("grader.messages." + Path(source).stem)
    findings = []
    for key, texts in getattr(module, "MESSAGES", {}).items():
        findings += variants_in(texts.get("zh", ""), f"{source} [{key}]")
    assert findings == [], report(findings)


def chinese_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a Python file that holds Chinese."""
    tree = ast.parse((ROOT / source).read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
    ]


@pytest.mark.parametrize("source", ["course.toml", "site/figures.py"])
def test_the_other_chinese_texts_use_the_glossary_terms(source, course):
    findings = []
    if source == "course.toml":
        for unit in course.units:
            findings += variants_in(unit.title["zh"], f"course.toml [unit {unit.number} title]")
            for task in unit.tasks:
                findings += variants_in(task.title["zh"], f"course.toml [task {task.id} title]")
                for level, hint in enumerate(task.hints, 1):
                    findings += variants_in(hint["zh"], f"course.toml [task {task.id} hint {level}]")
    else:
        for line, text in chinese_strings(source):
            findings += variants_in(text, source, line)
    assert findings == [], report(findings)
