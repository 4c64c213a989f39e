"""Task statements in English and Chinese, one source per task.

The English statement of a module, function, class or method is its docstring
in `exercises/<module>.py` (written from `solutions/` by `grader dev sync`).
The Chinese one lives beside that source, in `solutions/i18n/<module>.zh.toml`:
one table per docstring, keyed `__module__`, `function`, `Class` or
`"Class.method"`, holding the `text` and the `english_sha256` of the English it
translates (`inspect.cleandoc`, UTF-8). When the English changes, the stored
hash stops matching and `stale_or_missing()` names the entry, the way gettext
marks an entry fuzzy; the tests fail until it is translated again.

A wheel carries the catalogue as `grader/i18n/` (pyproject.toml); a clone reads
`solutions/i18n/`. The text is Markdown with maths in `$…$`, like the
docstrings: `markdown()` renders either language for the site and notebooks,
`plain()` for a terminal.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.manifest import Course
from grader.paths import PACKAGE_DIR, repo_root, solutions_dir

MODULE = "__module__"  # the key of a module's own docstring
TRANSLATED = ("zh",)  # the languages with a catalogue; English is the docstring itself

# How the Google-style section headings read once rendered.
SECTION_TITLES = {
    "en": {"Args": "Arguments", "Returns": "Returns", "Raises": "Raises"},
    "zh": {"Args": "参数", "Returns": "返回值", "Raises": "异常"},
}
# Section headings, whole lines at the left margin.
_SECTION = re.compile(r"^(Args|Returns|Raises|Yields|Note|Example|Examples):\s*$")
_ARGUMENT = re.compile(r"^(\*{0,2}\w+)(?: \(([^)]*)\))?:\s*(.*)$")


class MissingStatement(LookupError):
    """A docstring, or its translation, is not there; the message says which."""


@dataclass(frozen=True)
class Problem:
    """One entry missing in a language, or translated from an English text that has changed since."""

    module: str
    name: str
    kind: str  # "no_english", "no_translation", "translation_of_nothing", "stale"
    lang: str
    english_sha256: str  # of the English now; "" when there is none

    def __str__(self) -> str:
        where = f"{catalogue_file(self.module, self.lang).name} [{self.name}]"
        if self.kind == "no_english":
            return f"exercises/{self.module}.py: {self.name} has no docstring, the English statement"
        if self.kind == "translation_of_nothing":
            return f"{where}: no docstring of exercises/{self.module}.py is called {self.name}"
        if self.kind == "no_translation":
            return f"{where}: missing; translate the docstring, with english_sha256 = \"{self.english_sha256}\""
        return (
            f"{where}: the English docstring changed since it was translated; update the text, "
            f"then set english_sha256 = \"{self.english_sha256}\""
        )


def sha256(english: str) -> str:
    """The hash a translation stores: of the cleaned docstring, UTF-8."""
    return hashlib.sha256(inspect.cleandoc(english).encode("utf-8")).hexdigest()


def catalogue_dir() -> Path:
    """`solutions/i18n/` in a clone; `grader/i18n/` in a wheel."""
    in_clone = solutions_dir() / "i18n"
    return in_clone if in_clone.is_dir() else PACKAGE_DIR / "i18n"


def catalogue_file(module: str, lang: str, catalogue: Path | None = None) -> Path:
    return (catalogue or catalogue_dir()) / f"{module}.{lang}.toml"


def translations(module: str, lang: str, catalogue: Path | None = None) -> dict[str, dict]:
    """The catalogue of `module` in `lang`: `{key: {"text": …, "english_sha256": …}}`, empty when there is none."""
    path = catalogue_file(module, lang, catalogue)
    if not path.is_file():
        return {}
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise MissingStatement(f"{path}: {error}") from None
    for key, entry in entries.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("text"), str)):
            raise MissingStatement(f"{path}: [{key}] needs a text = '''…''' string")
    return entries


def docstrings(source: str) -> dict[str, str]:
    """Every docstring of a module that students read, by key, in source order, cleaned.

    The module's own (`__module__`), each top-level function and class, and the
    public methods of the classes (`SGD.step`).
    """
    tree = ast.parse(source)
    found = {}
    if ast.get_docstring(tree):
        found[MODULE] = ast.get_docstring(tree)
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        if ast.get_docstring(node):
            found[node.name] = ast.get_docstring(node)
        if isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and not method.name.startswith("_") and ast.get_docstring(method):
                    found[f"{node.name}.{method.name}"] = ast.get_docstring(method)
    return found


def english(module: str, exercises: Path | None = None) -> dict[str, str]:
    """The English statements of `module`, read from `exercises/<module>.py` with `ast`."""
    path = (exercises or repo_root() / "exercises") / f"{module}.py"
    try:
        return docstrings(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError) as error:
        raise MissingStatement(f"{path}: {error}") from None


def statement(
    module: str, name: str, lang: str, exercises: Path | None = None, catalogue: Path | None = None
) -> str:
    """The statement of docstring `name` of `module` (`__module__`, `mse`, `SGD.step`) in `lang`.

    English is the docstring in `exercises`; another language comes from the
    catalogue. Raises MissingStatement when either is not there.
    """
    if lang not in TRANSLATED:
        found = english(module, exercises).get(name)
        if found is None:
            raise MissingStatement(f"exercises/{module}.py has no docstring for {name}")
        return found
    entry = translations(module, lang, catalogue).get(name)
    if entry is None:
        raise MissingStatement(f"{catalogue_file(module, lang, catalogue)} has no [{name}]")
    return inspect.cleandoc(entry["text"])


def shown(module: str, name: str, lang: str, exercises: Path | None = None) -> str:
    """The statement for a terminal in `lang`, or in English where no translation is shipped."""
    try:
        return plain(statement(module, name, lang, exercises), lang)
    except MissingStatement:
        if lang not in TRANSLATED:
            raise
        return plain(statement(module, name, "en", exercises), "en")


def needed(course: Course, exercises: Path | None = None) -> list[tuple[str, str]]:
    """Every (module, key) that needs a statement in every language.

    The module docstring, every docstring a student reads (`docstrings`), and
    the task functions, which need one even before they have it.
    """
    wanted = []
    for unit in course.units:
        try:
            keys = list(english(unit.module, exercises))
        except MissingStatement:
            keys = []
        functions = [name for task in unit.tasks for name in task.functions]
        for key in [MODULE, *keys, *functions]:
            if (unit.module, key) not in wanted:
                wanted.append((unit.module, key))
    return wanted


def stale_or_missing(
    course: Course, exercises: Path | None = None, catalogue: Path | None = None
) -> list[Problem]:
    """Entries missing in one language, or whose stored hash is not that of the English now."""
    problems = []
    wanted = needed(course, exercises)
    for module in course.modules:
        try:
            originals = english(module, exercises)
        except MissingStatement:
            originals = {}
        keys = [key for owner, key in wanted if owner == module]
        for lang in TRANSLATED:
            entries = translations(module, lang, catalogue)
            for key in keys:
                now = sha256(originals[key]) if key in originals else ""
                if key not in originals:
                    problems.append(Problem(module, key, "no_english", lang, now))
                elif key not in entries:
                    problems.append(Problem(module, key, "no_translation", lang, now))
                elif entries[key].get("english_sha256") != now:
                    problems.append(Problem(module, key, "stale", lang, now))
            for key in entries:
                if key not in keys:
                    problems.append(Problem(module, key, "translation_of_nothing", lang, ""))
    return problems


def split_sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(prose, [(heading, body)]) of a Google-style docstring."""
    prose: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in inspect.cleandoc(text).splitlines():
        match = _SECTION.match(line)
        if match:
            sections.append((match.group(1), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            prose.append(line)
    return (
        "\n".join(prose).strip(),
        [(title, textwrap.dedent("\n".join(body)).strip()) for title, body in sections],
    )


def description(text: str) -> str:
    """The prose of a statement, before its Args/Returns sections."""
    return split_sections(text)[0]


def summary(text: str) -> str:
    """The first line of a statement."""
    stripped = inspect.cleandoc(text)
    return stripped.splitlines()[0] if stripped else ""


def markdown(text: str, lang: str) -> str:
    """A statement as Markdown: prose as it is, sections as labelled lists in `lang`.

    The prose already is Markdown (backticks for code, `$…$` for maths), so it
    passes through untouched and the maths is typeset where it is shown.
    """
    prose, sections = split_sections(text)
    parts = [prose] if prose else []
    titles = SECTION_TITLES.get(lang, SECTION_TITLES["en"])
    for title, body in sections:
        label = titles.get(title, title)
        if title in ("Args", "Raises"):
            parts.append(f"**{label}**\n\n" + _argument_list(body, "：" if lang in TRANSLATED else ": "))
        else:
            parts.append(f"**{label}**\n\n" + body)
    return "\n\n".join(parts)


def _argument_list(body: str, colon: str) -> str:
    """`name: text` entries (continuation lines indented) as a Markdown list, `colon` after each name."""
    entries: list[list[str]] = []
    for line in body.splitlines():
        match = _ARGUMENT.match(line)
        if match and not line.startswith(" "):
            name, kind, text = match.groups()
            label = f"`{name}`" + (f" ({kind})" if kind else "")
            entries.append([f"{label}{colon}{text}"])
        elif entries:
            entries[-1].append(line.strip())
        else:
            entries.append([line.strip()])
    return "\n".join("- " + " ".join(part for part in entry if part) for entry in entries)


def plain(text: str, lang: str) -> str:
    """A statement for a terminal: as written, with the section headings in `lang`."""
    if lang not in TRANSLATED:
        return inspect.cleandoc(text)
    titles = SECTION_TITLES[lang]
    lines = []
    for line in inspect.cleandoc(text).splitlines():
        match = _SECTION.match(line)
        lines.append(f"{titles[match.group(1)]}：" if match and match.group(1) in titles else line)
    return "\n".join(lines)


def argument_names(text: str) -> list[str]:
    """The parameter names of a statement's Args section, in order."""
    for title, body in split_sections(text)[1]:
        if title == "Args":
            return [
                match.group(1)
                for line in body.splitlines()
                if not line.startswith(" ") and (match := _ARGUMENT.match(line))
            ]
    return []


def main() -> int:
    """`python -m grader.statements`: every entry to translate, or to translate again."""
    from grader.manifest import course

    problems = stale_or_missing(course())
    for problem in problems:
        print(problem)
    if not problems:
        print("Every statement has its translation, made from the English as it is now.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
