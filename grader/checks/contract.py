"""The contract matrix: every clause of the curriculum, per task, and the checks that prove it.

The curriculum (`CURRICULUM.md`, beside the repository in `../shared/`) fixes
what each function means. Each task's meaning is cut into clauses (sentences
and their `;`-separated parts), and the conventions for every task are
clauses of every task. `grader/checks/contract/<module>.toml` maps each clause
to the checks that prove it:

    [[clause]]
    task = "1.2"
    clause = "`x` itself is left untouched (its `.grad` stays `None`, its `requires_grad` unchanged)."
    checks = ["test_leaves_x_untouched"]

A convention that cannot apply to a task says so: `applies = false` and
`why = "..."`. `tests/test_contract.py` fails when a clause has no check, when
a named check does not exist for that task, or when an entry quotes a clause
the curriculum no longer has. `python -m grader.checks.contract` writes the
matrix into `grader/checks/README.md`.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.paths import CHECKS_DIR, repo_root

MATRIX_DIR = CHECKS_DIR / "contract"
README = CHECKS_DIR / "README.md"
BEGIN, END = "<!-- contract:begin -->", "<!-- contract:end -->"
ROW = re.compile(r"^\|\s*(\d+\.\d+)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*$")


def curriculum_path() -> Path:
    override = os.environ.get("DESCENT_CURRICULUM")
    return Path(override) if override else repo_root().parent / "shared" / "CURRICULUM.md"


def split_clauses(meaning: str) -> list[str]:
    """Sentences, and the parts of a sentence joined by `;`, outside code spans."""
    pieces, current, in_code = [], "", False
    index = 0
    while index < len(meaning):
        char = meaning[index]
        current += char
        if char == "`":
            in_code = not in_code
        elif not in_code and char == ";":
            pieces.append(current[:-1])
            current = ""
        elif not in_code and char == "." and meaning[index + 1 : index + 2] == " " and meaning[index + 2 : index + 3][:1].isupper():
            pieces.append(current)
            current = ""
        index += 1
    pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


def curriculum_clauses(text: str) -> dict[str, list[str]]:
    """`{task id: its clauses}` from the units' tables: the signature (its names and defaults), then the meaning's."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            task, signature, meaning = match.groups()
            found[task] = [signature.strip(), *split_clauses(meaning)]
    return found


def conventions(text: str) -> list[str]:
    """The bullets under "Conventions for every task", each one clause."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Conventions for every task"))
    bullets: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
        elif bullets and not line.strip():
            break
    return bullets


@dataclass(frozen=True)
class Entry:
    task: str
    clause: str
    checks: tuple[str, ...]
    applies: bool = True
    why: str = ""


def load_matrix(folder: Path = MATRIX_DIR) -> list[Entry]:
    entries = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            for item in tomllib.load(handle).get("clause", []):
                entries.append(
                    Entry(str(item["task"]), " ".join(str(item["clause"]).split()), tuple(item.get("checks", [])), bool(item.get("applies", True)), str(item.get("why", "")))
                )
    return entries


def checks_by_task(folder: Path = CHECKS_DIR) -> dict[str, set[str]]:
    """`{task id: names of its checks}`, read from the check modules' source."""
    found: dict[str, set[str]] = {}
    for path in folder.glob("test_*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "task" and decorator.args:
                    task = decorator.args[0]
                    if isinstance(task, ast.Constant):
                        found.setdefault(str(task.value), set()).add(node.name)
    return found


def problems(text: str, entries: list[Entry], known: dict[str, set[str]]) -> list[str]:
    """Everything wrong with the matrix against the curriculum and the checks; empty when it is whole."""
    found = []
    wanted = {(task, " ".join(clause.split())) for task, clauses in curriculum_clauses(text).items() for clause in clauses}
    wanted |= {(task, " ".join(rule.split())) for task in curriculum_clauses(text) for rule in conventions(text)}
    covered: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.task, entry.clause)
        if key not in wanted:
            found.append(f"{entry.task}: the matrix quotes a clause the curriculum does not have: {entry.clause!r}")
            continue
        if key in covered:
            found.append(f"{entry.task}: the clause is listed twice: {entry.clause!r}")
        covered[key] = entry
        if entry.applies and not entry.checks:
            found.append(f"{entry.task}: no check proves {entry.clause!r}")
        if not entry.applies and not entry.why:
            found.append(f"{entry.task}: a clause that does not apply needs a why: {entry.clause!r}")
        for check in entry.checks:
            if check not in known.get(entry.task, set()):
                found.append(f"{entry.task}: {check} is not a check of this task")
    for task, clause in sorted(wanted - covered.keys()):
        found.append(f"{task}: no entry for {clause!r}")
    return found


def render_markdown(entries: list[Entry]) -> str:
    lines = ["| task | clause of the curriculum | checks |", "| --- | --- | --- |"]
    key = lambda entry: tuple(int(part) for part in entry.task.split("."))  # noqa: E731
    for entry in sorted(entries, key=key):
        checks = ", ".join(f"`{check}`" for check in entry.checks) if entry.applies else f"does not apply: {entry.why}"
        clause = entry.clause.replace("|", "\\|")
        lines.append(f"| {entry.task} | {clause} | {checks} |")
    return "\n".join(lines)


def readme_with_matrix(readme: str, entries: list[Entry]) -> str:
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{render_markdown(entries)}\n{END}{tail}"


def main() -> None:
    """Write the matrix into grader/checks/README.md (course authors)."""
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme:
        sys.exit(f"{README} has no {BEGIN} marker")
    README.write_text(readme_with_matrix(readme, load_matrix()), encoding="utf-8")


if __name__ == "__main__":
    main()
