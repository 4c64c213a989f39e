"""`grader watch`: check the task you are editing every time its file is saved.

The process stays warm (torch, the checks and pytest imported once) and keeps
one warm worker for the tasks (`grader.runner`); it polls the exercise files'
modification times and grades only the tasks whose functions changed since
the last save, so the result is on screen a moment after the save.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable
from pathlib import Path

from grader.grading import GradeResult, grade, load_checks
from grader.manifest import Course
from grader.runner import Runner

POLL_SECONDS = 0.02


def _definitions(source: str) -> dict[str, str] | None:
    """Source text of each top-level function or class; None if the file does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def changed_tasks(course: Course, module: str, before: str | None, after: str) -> list[str]:
    """The tasks of `module` whose functions differ between two versions of its file.

    Everything outside the functions (imports, helpers) may affect every task,
    and a file that does not parse affects them all.
    """
    tasks = [task for task in course.tasks if task.module == module]
    old, new = _definitions(before or ""), _definitions(after)
    if old is None or new is None:
        return [task.id for task in tasks]
    own = {name for task in tasks for name in task.functions}
    if _rest(before or "", old, own) != _rest(after, new, own):
        return [task.id for task in tasks]
    return [task.id for task in tasks if any(old.get(name) != new.get(name) for name in task.functions)]


def _rest(source: str, definitions: dict[str, str], own: set[str]) -> str:
    """The file without the task functions, white space ignored."""
    for name, text in definitions.items():
        if name in own:
            source = source.replace(text, "")
    return "".join(source.split())


class Watcher:
    """Polls the exercise files; `poll()` returns the graded result of a save, or None."""

    def __init__(self, course: Course, exercises: Path) -> None:
        self.course = course
        self.exercises = exercises
        self.files = {module: exercises / f"{module}.py" for module in course.modules}
        self.stamps = {module: self._stamp(path) for module, path in self.files.items()}
        self.sources = {module: self._read(path) for module, path in self.files.items()}
        self.runner = Runner(units=list(course.modules))
        load_checks(course)
        self.runner.ready  # noqa: B018 - warm before the first save, not after it

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int] | None:
        try:
            status = path.stat()
        except OSError:
            return None
        return status.st_mtime_ns, status.st_size

    @staticmethod
    def _read(path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def close(self) -> None:
        self.runner.close()

    def poll(self) -> tuple[str, GradeResult] | None:
        for module, path in self.files.items():
            stamp = self._stamp(path)
            if stamp == self.stamps[module]:
                continue
            self.stamps[module] = stamp
            source = self._read(path)
            if source is None:
                continue
            task_ids = changed_tasks(self.course, module, self.sources[module], source)
            self.sources[module] = source
            if task_ids:
                return module, grade(self.course, self.exercises, task_ids, runner=self.runner)
        return None


def watch(course: Course, exercises: Path, show: Callable[[str, GradeResult, float], None], ready: Callable[[], None]) -> None:
    """Check saved tasks until interrupted; `show(module, result, seconds)` after each save."""
    watcher = Watcher(course, exercises)
    try:
        ready()
        while True:
            started = time.perf_counter()
            found = watcher.poll()
            if found:
                show(found[0], found[1], time.perf_counter() - started)
            else:
                time.sleep(POLL_SECONDS)
    finally:
        watcher.close()
