"""The course manifest (`course.toml`): units and tasks in course order.

Everything else (CLI, checks, stub generator, site, exports) asks this module
about tasks, so that no fact about a task is typed twice.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from grader.paths import manifest_path

LANGUAGES = ("en", "zh")
HINT_LEVELS = 3  # a task's hints: the idea, the plan, near-code (never the answer line)


@dataclass(frozen=True)
class Task:
    id: str
    unit: int
    module: str
    functions: tuple[str, ...]
    points: float
    title: dict[str, str]
    hints: tuple[dict[str, str], ...]  # the ladder, from the idea (level 1) to near-code; `grader hint` climbs it
    timeout: float  # CPU seconds the task's process may use
    forbid: tuple[str, ...] = ()  # APIs the task must not use (grader.forbid), e.g. "autograd"

    @property
    def file_name(self) -> str:
        return f"{self.module}.py"

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.id.split("."))


@dataclass(frozen=True)
class Unit:
    number: int
    module: str
    title: dict[str, str]
    tasks: tuple[Task, ...] = field(default=())


@dataclass(frozen=True)
class Course:
    name: str
    title: dict[str, str]
    units: tuple[Unit, ...]

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for unit in self.units for task in unit.tasks)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(unit.module for unit in self.units)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def unit_of(self, task: Task) -> Unit:
        return next(unit for unit in self.units if unit.number == task.unit)

    def task_for_function(self, module: str, function: str) -> Task | None:
        for task in self.tasks:
            if task.module == module and function in task.functions:
                return task
        return None

    @property
    def max_score(self) -> float:
        return sum(task.points for task in self.tasks)


class ManifestError(ValueError):
    """The manifest is malformed; the message names the entry."""


def _bilingual(entry: dict, key: str, where: str) -> dict[str, str]:
    value = entry.get(key)
    if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGUAGES):
        raise ManifestError(f"{where}: '{key}' needs both 'en' and 'zh' text")
    return {lang: value[lang] for lang in LANGUAGES}


def _hints(entry: dict, where: str) -> tuple[dict[str, str], ...]:
    """The task's ladder of hints: `[[units.tasks.hints]]` tables with `en` and `zh`, in order.

    An older manifest's single `hint = { en = ..., zh = ... }` is a ladder of one.
    """
    if "hints" not in entry and "hint" in entry:
        return (_bilingual(entry, "hint", where),)
    ladder = entry.get("hints")
    if not isinstance(ladder, list) or not ladder or not all(isinstance(level, dict) for level in ladder):
        raise ManifestError(f"{where}: 'hints' needs at least one [[units.tasks.hints]] table with 'en' and 'zh' text")
    return tuple(_bilingual({"hint": level}, "hint", f"{where} hint {number}") for number, level in enumerate(ladder, 1))


FORBID_POLICIES = ("autograd", "torch_optim", "optimizers")


def _forbid(entry: dict, where: str) -> tuple[str, ...]:
    policies = entry.get("forbid", [])
    if not isinstance(policies, list) or any(policy not in FORBID_POLICIES for policy in policies):
        raise ManifestError(f"{where}: 'forbid' lists some of {', '.join(FORBID_POLICIES)}")
    return tuple(policies)


def parse_course(data: dict) -> Course:
    course = data.get("course", {})
    default_timeout = float(course.get("default_timeout", 10.0))
    units = []
    seen_ids: set[str] = set()
    for unit_entry in data.get("units", []):
        number = int(unit_entry["number"])
        module = unit_entry["module"]
        tasks = []
        for task_entry in unit_entry.get("tasks", []):
            task_id = task_entry["id"]
            where = f"task {task_id}"
            if task_id in seen_ids:
                raise ManifestError(f"{where} appears twice")
            if not task_id.startswith(f"{number}."):
                raise ManifestError(f"{where} is listed under unit {number}")
            seen_ids.add(task_id)
            tasks.append(
                Task(
                    id=task_id,
                    unit=number,
                    module=module,
                    functions=tuple(task_entry["functions"]),
                    points=float(task_entry["points"]),
                    title=_bilingual(task_entry, "title", where),
                    hints=_hints(task_entry, where),
                    timeout=float(task_entry.get("timeout", default_timeout)),
                    forbid=_forbid(task_entry, where),
                )
            )
        units.append(
            Unit(
                number=number,
                module=module,
                title=_bilingual(unit_entry, "title", f"unit {number}"),
                tasks=tuple(tasks),
            )
        )
    return Course(
        name=course.get("name", "Descent"),
        title=_bilingual(course, "title", "course"),
        units=tuple(units),
    )


def load_course(path: Path) -> Course:
    with path.open("rb") as file:
        return parse_course(tomllib.load(file))


@cache
def course() -> Course:
    """The course of this installation."""
    return load_course(manifest_path())
