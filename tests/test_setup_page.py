"""The setup page teaches the student's commands as the CLI has them, in both languages.

`site/docs/{en,zh}/setup.md` documents the daily loop (`grader next`, `watch`,
`hint`, `reset`), `grader doctor` and the notebook path (`grader notebooks`,
grading the newer of `.py` and `.ipynb`); every `grader` command and option
the page shows exists in the real CLI.
"""

from __future__ import annotations

import re

import click
import pytest

from grader.cli import main
from tests.conftest import ROOT

DOCS = ROOT / "site" / "docs"
DOCUMENTED = ("check", "list", "next", "watch", "hint", "reset", "doctor", "notebooks")
CODE = re.compile(r"`([^`\n]+)`|^ *(grader .*)$", re.MULTILINE)
COMMAND = re.compile(r"\bgrader ([a-z][a-z-]*)((?: +[^\s#]+)*)")


def page(lang: str) -> str:
    return (DOCS / lang / "setup.md").read_text(encoding="utf-8")


def shown_commands(text: str) -> list[tuple[str, list[str]]]:
    """(command, options) of every `grader …` in code on the page."""
    found = []
    for match in CODE.finditer(text):
        code = match.group(1) or match.group(2)
        for command in COMMAND.finditer(code):
            found.append((command.group(1), re.findall(r"(?<!\S)--[a-z][a-z-]*", command.group(2))))
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_setup_page_documents_the_students_commands(lang):
    commands = {command for command, _ in shown_commands(page(lang))}
    assert set(DOCUMENTED) <= commands, f"site/docs/{lang}/setup.md lacks {sorted(set(DOCUMENTED) - commands)}"
    text = page(lang)
    for needed in ("grader hint 4.2 --all", "--level", "--reset", ".grader/progress.json", ".grader/backups/", ".ipynb", "jupytext", "--force", "--yes"):
        assert needed in text, f"site/docs/{lang}/setup.md does not mention {needed}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_and_option_on_the_setup_page_exists(lang):
    wrong = []
    for command, options in shown_commands(page(lang)):
        real = main.commands.get(command)
        if real is None:
            wrong.append(f"grader {command}")
            continue
        known = {name for parameter in real.params if isinstance(parameter, click.Option) for name in parameter.opts}
        wrong += [f"grader {command} {option}" for option in options if option not in known]
    assert wrong == [], f"site/docs/{lang}/setup.md shows what `grader --help` does not have: {wrong}"


def test_the_checker_finds_commands_in_code_only():
    text = "Run `grader hint 4.2 --all`.\n\n```bash\ngrader watch --lang zh   # note\n```\nThe grader is fine."
    assert shown_commands(text) == [("hint", ["--all"]), ("watch", ["--lang"])]
